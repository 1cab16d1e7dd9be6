//! Goal evaluation and report documents. Not built yet: see the plans and report issue.
