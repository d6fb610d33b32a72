#!/usr/bin/env bash
# SLURM batch script: one p3sim sweep spread over MPI ranks, resumable across requeues.
#
#   sbatch scripts/slurm_sweep.sh SWEEP.json OUT.h5            # submit (adjust the #SBATCH lines)
#   sbatch --nodes=8 scripts/slurm_sweep.sh SWEEP.json OUT.h5  # more nodes, same file
#
# One rank per node, each using every CPU SLURM gives it through --threads; rank 0 hands out runs
# and writes OUT.h5 (on a file system every node sees). The command always passes --resume: the first
# job starts the sweep (no file yet), a job that was preempted, requeued or hit its time limit
# continues where the file stops, and a finished sweep returns at once. The file is the same as one
# process would write (docs/cluster.md). P3SIM points at the MPI build (scripts/build build-mpi -DP3SIM_MPI=ON).
#SBATCH --job-name=p3sim-sweep
#SBATCH --nodes=2
#SBATCH --ntasks-per-node=1
#SBATCH --cpus-per-task=16
#SBATCH --time=04:00:00
#SBATCH --requeue
#SBATCH --signal=B:TERM@120
#SBATCH --output=p3sim-sweep-%j.log
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: sbatch $0 SWEEP.json OUT.h5 [more p3sim sweep options]" >&2
  exit 2
fi
sweep="$1"
out="$2"
shift 2
p3sim="${P3SIM:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build-mpi/p3sim}"
threads="${SLURM_CPUS_PER_TASK:-$(nproc)}"

# srun starts the ranks through SLURM's PMI (PMIx on Debian's SLURM and Open MPI); mpirun works too
# inside an allocation: mpirun -np "$SLURM_NTASKS" --map-by ppr:1:node:PE="$threads" ...
# --signal=B:TERM@120 gives the job two minutes' notice before its time limit: rank 0 then stops
# handing out runs, writes what is finished and exits 1, and this script requeues the job, which
# resumes. (A node failure or preemption requeues it through --requeue; the file then loses at most
# about a second of runs, see docs/sweeps.md.)
srun --kill-on-bad-exit=1 "$p3sim" sweep "$sweep" -o "$out" --resume --no-progress --threads "$threads" "$@" &
wait_pid=$!
got_term=0
trap 'got_term=1; kill -TERM "$wait_pid" 2>/dev/null || true' TERM
status=0
wait "$wait_pid" || status=$?
# wait returns early when the trap fires; wait again for srun to finish writing.
if kill -0 "$wait_pid" 2>/dev/null; then wait "$wait_pid" || status=$?; fi
if [ "$status" -ne 0 ] && [ "$got_term" -eq 1 ] && [ -n "${SLURM_JOB_ID:-}" ]; then
  echo "p3sim sweep stopped before its time limit; requeueing job $SLURM_JOB_ID to finish it" >&2
  scontrol requeue "$SLURM_JOB_ID"
fi
exit "$status"
