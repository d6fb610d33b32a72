"""The one exception type the package raises for problems the user can fix.

The command line turns a :class:`ResultFileError` into a one-line message and exit code 2 instead
of a traceback; library callers can catch it the same way.
"""


class ResultFileError(Exception):
    """A result file (or a design or argument derived from it) cannot be used as asked.

    The message names the file and says what was expected and what was found.
    """
