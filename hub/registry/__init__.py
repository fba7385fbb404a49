"""Model registry and updates: versioned NLU models, hot swap with self-test and rollback, A/B,
encryption at rest, and optional cloud sync.

Read in order: registry.py (versions on disk), crypto.py (encryption at rest), swap.py (load
beside, self-test, switch), ab.py (candidate share), metrics.py (per-version figures), sync.py
(signed updates and anonymous metrics), cli.py (`hub models ...`).
"""

from hub.registry.registry import KEEP_GOOD, Registry, VersionInfo, check_version_dir

__all__ = ["KEEP_GOOD", "Registry", "VersionInfo", "check_version_dir"]
