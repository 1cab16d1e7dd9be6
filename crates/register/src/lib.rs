//! Register micro-data and the indicator engine. Not built yet: see the register issue.
