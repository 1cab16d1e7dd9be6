//! CPU-heavy work off the async workers, a few at a time.
//!
//! Reading a plan file with thousands of problems and wording each, or laying out a report's
//! PDF, takes whole seconds of a core. Run on the async workers it stalled every other request
//! (two parallel uploads: 13.5 s for the whole server); run unbounded on blocking threads it
//! could take every core and, for PDFs, gigabytes at once. Here it runs on blocking threads, at
//! most as many at once as there are cores; the rest wait their turn without holding a thread.

use std::sync::LazyLock;

use tokio::sync::Semaphore;

use crate::error::AppError;

static TURNS: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, std::num::NonZero::get)));

/// Runs `work` on a blocking thread when a turn is free, and returns its result.
pub async fn run<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    let _turn = TURNS.acquire().await.map_err(AppError::internal)?;
    tokio::task::spawn_blocking(work).await.map_err(AppError::internal)
}
