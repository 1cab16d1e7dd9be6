//! What every handler can reach.

use std::sync::Arc;

use indsats_register::series::SeriesIndex;
use indsats_store::{Site, Store};

/// How the web layer behaves; the CLI fills it from flags, environment and `indsats.toml`.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Set the `Secure` flag on cookies (on unless serving plain HTTP on loopback).
    pub secure_cookies: bool,
    /// The load balancers whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed, by the
    /// address they connect from; empty when clients connect directly.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The operational database.
    pub store: Arc<dyn Store>,
    /// Web settings.
    pub config: Arc<WebConfig>,
    /// The municipality this installation serves, read at start (none before set-up).
    pub site: Arc<Option<Site>>,
    /// The indicator panel computed from the register data at start (none without data).
    pub indicators: Arc<Option<SeriesIndex>>,
    /// The keys for CPR numbers.
    pub vault: Arc<indsats_app::vault::Vault>,
    /// The OpenID providers staff and citizens log in through (none configured by default).
    pub oidc: Arc<indsats_app::oidc::Providers>,
}
