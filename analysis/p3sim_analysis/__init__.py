"""Analysis of p3sim HDF5 result files: tidy tables, figures, sensitivity, scenario discovery, report.

Typical use::

    from p3sim_analysis import ResultFile
    with ResultFile("sweep.h5") as rf:
        runs = rf.runs()                      # one row per done run, parameters decoded
        trust = rf.series(["trust"])          # long form: run, step, metric, value

The modules, one concept each:

* :mod:`.loading` - reading a file into pandas DataFrames (:class:`ResultFile`);
* :mod:`.parameters` - what the sweep varied and how its values are coded;
* :mod:`.statistics` - t intervals and paired differences under common random numbers;
* :mod:`.comparison`, :mod:`.bands`, :mod:`.pitfall_gallery`, :mod:`.trust_network` - figures;
* :mod:`.sobol`, :mod:`.morris` - global sensitivity estimators and their sample designs;
* :mod:`.point_sweeps` - sweep files that run an explicit list of points (Saltelli, Morris);
* :mod:`.sensitivity` - sensitivity analysis of a result file;
* :mod:`.prim`, :mod:`.feature_scoring` - where the partnership breaks (scenario discovery);
* :mod:`.calibration` - the posterior file of ``p3sim calibrate`` (:class:`PosteriorFile`);
* :mod:`.report`, :mod:`.calibration_report` - the self-contained HTML reports; :mod:`.cli` - the
  command line.
"""
from .errors import ResultFileError
from .loading import ResultFile, open_result
from .calibration import PosteriorFile, open_posterior

__version__ = "0.1.0"
__all__ = ["PosteriorFile", "ResultFile", "ResultFileError", "open_posterior", "open_result", "__version__"]
