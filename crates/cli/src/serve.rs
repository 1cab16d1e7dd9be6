//! `indsats serve`: the web application, with graceful shutdown.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use indsats_register::series::SeriesIndex;
use indsats_web::{AppState, WebConfig};

use crate::config::Settings;
use crate::demo;

/// Serves until SIGTERM or Ctrl-C, then lets in-flight requests finish.
pub async fn run(settings: Settings) -> anyhow::Result<()> {
    let store = settings.open_store().await?;
    if settings.seeds_demo() && store.count_users().await? == 0 {
        demo::seed(&settings, &*store).await?;
    }
    let state = app_state(&settings, store.clone()).await?;
    tokio::spawn(sweep_expired_sessions(store.clone()));

    let listener = tokio::net::TcpListener::bind(settings.addr)
        .await
        .with_context(|| format!("cannot listen on {}", settings.addr))?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, backend = store.backend(), "serving");
    println!("indsats serves on http://{addr}/ (database: {}). Stop with Ctrl-C.", store.backend());
    crate::connections::serve(
        listener,
        indsats_web::router(state),
        crate::connections::Limits::default(),
        shutdown_signal(),
    )
    .await;
    tracing::info!("stopped");
    Ok(())
}

/// What the web application's handlers share, as `indsats serve` builds it (also used by
/// `indsats bench load`, so the benchmark serves exactly what production serves).
pub async fn app_state(settings: &Settings, store: Arc<dyn indsats_store::Store>) -> anyhow::Result<AppState> {
    let site = store.site().await?;
    let vault = indsats_app::vault::Vault::for_installation(&*store, &settings.cpr_key_file()).await?;
    Ok(AppState {
        vault: Arc::new(vault),
        store,
        config: Arc::new(WebConfig {
            secure_cookies: settings.secure_cookies(),
            trusted_proxies: settings.trusted_proxies.clone(),
        }),
        site: Arc::new(site),
        indicators: Arc::new(load_indicators(&settings.data_dir.join("register")).await?),
        oidc: Arc::new(settings.checked_oidc_providers()?),
    })
}

/// Loads the register data set under `dir`, if there is one, and computes the panel the pages read.
async fn load_indicators(dir: &std::path::Path) -> anyhow::Result<Option<SeriesIndex>> {
    if !dir.exists() {
        tracing::info!(dir = %dir.display(), "no register data set; the overview will say so");
        return Ok(None);
    }
    let dir = dir.to_owned();
    let started = std::time::Instant::now();
    let index = tokio::task::spawn_blocking(move || -> anyhow::Result<SeriesIndex> {
        let dataset = indsats_register::import::load(&dir).with_context(|| format!("cannot load {}", dir.display()))?;
        Ok(SeriesIndex::recent(&dataset)?)
    })
    .await??;
    tracing::info!(seconds = started.elapsed().as_secs_f64(), "register panel computed");
    Ok(Some(index))
}

async fn sweep_expired_sessions(store: Arc<dyn indsats_store::Store>) {
    let mut tick = tokio::time::interval(Duration::from_hours(1));
    loop {
        tick.tick().await;
        match store.delete_expired_sessions(indsats_store::unix_now()).await {
            Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions removed"),
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "could not remove expired sessions"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
