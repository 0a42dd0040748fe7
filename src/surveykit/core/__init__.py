"""Shared infrastructure of every stage: errors with their user-facing message (errors), reading and atomic
writing of files (io), CSV cells made safe for spreadsheets (csvsafe), YAML read and validated against the
package's schemas (yamlio), the one text normaliser (normalise), French number formatting (fmt), numbers as a publication prints them (printed), the names of the statistical tests (testnames),
distribution functions (distributions), removal of outputs no rule declares any more (stale), the wrapper every
rule script runs in (runner) and the code inputs of a rule read from its imports (codedeps).

Imports nothing from the stages: every other package may import from here.
"""

__all__ = ["codedeps", "csvsafe", "distributions", "errors", "fmt", "io", "normalise", "printed", "runner", "stale", "testnames",
           "yamlio"]
