//! `indsats audit verify`: recomputes the audit log's hash chain.

use std::fmt;

use indsats_store::ChainVerdict;

use crate::config::Settings;

/// The audit log was read and its chain does not hold; the broken row is already printed.
/// `main` turns it into exit code [`Broken::EXIT_CODE`], so a monitor can tell a tampered log
/// from a check that could not run (exit code 1).
#[derive(Debug)]
pub struct Broken;

impl Broken {
    /// The exit code for a broken chain.
    pub const EXIT_CODE: u8 = 3;
}

impl fmt::Display for Broken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the audit log's hash chain is broken")
    }
}

impl std::error::Error for Broken {}

/// Prints `audit log intact: N rows` (and the head hash, worth noting elsewhere), or
/// `audit log broken at row N: ...` and fails with [`Broken`].
pub async fn verify(settings: &Settings) -> anyhow::Result<()> {
    let store = settings.open_store().await?;
    match store.verify_audit_chain().await? {
        ChainVerdict::Intact(summary) => {
            println!("audit log intact: {} rows", summary.rows);
            if summary.legacy_rows > 0 {
                println!(
                    "{} older rows from before the chain began are kept but cannot be verified",
                    summary.legacy_rows
                );
            }
            println!("head: {}", summary.head);
            Ok(())
        }
        ChainVerdict::Broken(broken) => {
            match broken.row {
                Some(row) => println!("audit log broken at row {row}: {}", broken.problem),
                None => println!("audit log broken at its end: {}", broken.problem),
            }
            Err(Broken.into())
        }
    }
}
