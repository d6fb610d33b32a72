// p3sim command line (sim/cli/Main.cpp does the work).
#include "cli/Main.hpp"

int main(int argc, char** argv) { return p3sim::cli::run_main(argc, argv); }
