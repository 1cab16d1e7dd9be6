//! Settings from flags, environment (`INDSATS_*`, `DATABASE_URL`) and an optional
//! `indsats.toml`, merged by figment: flags win over environment, environment over the file.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, ValueEnum};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use indsats_app::oidc::{ProviderConfig, Providers};
use indsats_store::{Location, Store};
use serde::{Deserialize, Serialize};

/// Flags shared by every command.
#[derive(Debug, Args, Serialize)]
pub struct ConfigArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, global = true)]
    #[serde(skip_serializing_if = "Option::is_none")]
    addr: Option<SocketAddr>,
    /// Directory for the embedded database and register data [default: ./indsats-data].
    #[arg(long, global = true)]
    #[serde(skip_serializing_if = "Option::is_none")]
    data_dir: Option<PathBuf>,
    /// PostgreSQL URL; without it the embedded SQLite database in the data directory is used.
    #[arg(long, global = true)]
    #[serde(skip_serializing_if = "Option::is_none")]
    database_url: Option<String>,
    /// Log format.
    #[arg(long, global = true, value_enum)]
    #[serde(skip_serializing_if = "Option::is_none")]
    log_format: Option<LogFormat>,
    /// Configuration file [default: ./indsats.toml if it exists].
    #[arg(long, global = true)]
    #[serde(skip)]
    config: Option<PathBuf>,
}

/// How log lines look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// For people.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// The merged settings.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Where to listen.
    pub addr: SocketAddr,
    /// The data directory.
    pub data_dir: PathBuf,
    /// PostgreSQL URL, if any.
    pub database_url: Option<String>,
    /// Log format.
    pub log_format: LogFormat,
    /// Cookie `Secure` flag; by default on unless listening on loopback only.
    pub secure_cookies: Option<bool>,
    /// The addresses of your own load balancers, whose `X-Forwarded-For` and
    /// `X-Forwarded-Proto` are believed; from anyone else those headers are ignored.
    #[serde(default)]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Seed demo data into an empty database on `serve`; by default only into the embedded
    /// SQLite database (see [`Settings::seeds_demo`]).
    pub demo_on_empty: Option<bool>,
    /// The key file for CPR numbers [default: `cpr.key` in the data directory].
    pub cpr_key_file: Option<PathBuf>,
    /// Staff login through an OpenID provider (the municipality's Entra ID or the like): the
    /// issuer URL; without it staff log in with user name and password only.
    pub staff_oidc_issuer: Option<String>,
    /// The client id indsats has at the staff provider.
    pub staff_oidc_client_id: Option<String>,
    /// The client secret at the staff provider.
    pub staff_oidc_client_secret: Option<String>,
    /// The redirect URL registered at the staff provider (`https://<host>/login/oidc/medarbejder/svar`).
    pub staff_oidc_redirect_url: Option<String>,
    /// The ID token claim that holds the indsats user name [default: `preferred_username`].
    pub staff_oidc_claim: Option<String>,
    /// Citizen login through a MitID broker (NemLog-in or the like): the issuer URL; without it
    /// citizens cannot log in.
    pub citizen_oidc_issuer: Option<String>,
    /// The client id indsats has at the citizens' provider.
    pub citizen_oidc_client_id: Option<String>,
    /// The client secret at the citizens' provider.
    pub citizen_oidc_client_secret: Option<String>,
    /// The redirect URL registered at the citizens' provider (`https://<host>/login/oidc/borger/svar`).
    pub citizen_oidc_redirect_url: Option<String>,
    /// The ID token claim that holds the CPR number [default: `cpr`; NemLog-in's is
    /// `dk:gov:saml:attribute:CprNumberIdentifier`].
    pub citizen_oidc_claim: Option<String>,
}

impl std::fmt::Debug for Settings {
    // The database URL may hold a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("addr", &self.addr)
            .field("data_dir", &self.data_dir)
            .field("database_url", &self.database_url.as_deref().map(indsats_store::redact_url))
            .field("log_format", &self.log_format)
            .field("secure_cookies", &self.secure_cookies)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("demo_on_empty", &self.demo_on_empty)
            .field("cpr_key_file", &self.cpr_key_file)
            // The OpenID settings as the providers they make, without the client secrets.
            .field("oidc", &self.oidc_providers())
            .finish_non_exhaustive()
    }
}

/// The keys `indsats.toml` and `INDSATS_*` variables may set.
const SETTING_KEYS: [&str; 18] = [
    "addr",
    "data_dir",
    "database_url",
    "log_format",
    "secure_cookies",
    "trusted_proxies",
    "demo_on_empty",
    "cpr_key_file",
    "staff_oidc_issuer",
    "staff_oidc_client_id",
    "staff_oidc_client_secret",
    "staff_oidc_redirect_url",
    "staff_oidc_claim",
    "citizen_oidc_issuer",
    "citizen_oidc_client_id",
    "citizen_oidc_client_secret",
    "citizen_oidc_redirect_url",
    "citizen_oidc_claim",
];

#[derive(Serialize)]
struct Defaults {
    addr: SocketAddr,
    data_dir: PathBuf,
    log_format: LogFormat,
}

impl Settings {
    /// Merges defaults, `indsats.toml`, environment and flags. An error names the bad key.
    pub fn load(args: &ConfigArgs) -> Result<Self, Box<figment::Error>> {
        let defaults = Defaults {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("indsats-data"),
            log_format: LogFormat::Text,
        };
        let file = args.config.clone().unwrap_or_else(|| PathBuf::from("indsats.toml"));
        let mut figment = Figment::from(Serialized::defaults(defaults));
        if args.config.is_some() || file.exists() {
            figment = figment.merge(Toml::file_exact(&file));
        }
        figment
            // Only our own keys: other INDSATS_* variables (test settings, scripts) are not settings.
            .merge(Env::prefixed("INDSATS_").only(&SETTING_KEYS))
            .merge(Env::raw().only(&["DATABASE_URL"]).map(|_| "database_url".into()))
            .merge(Serialized::defaults(args))
            .extract()
            .map_err(Box::new)
    }

    /// Where the operational database lives.
    pub fn location(&self) -> Location {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => Location::Postgres(url.clone()),
            _ => Location::Sqlite(self.data_dir.join("indsats.db")),
        }
    }

    /// Opens (and migrates) the operational database, creating the data directory if needed.
    pub async fn open_store(&self) -> anyhow::Result<Arc<dyn Store>> {
        if matches!(self.location(), Location::Sqlite(_)) {
            indsats_register::import::create_private_dir(&self.data_dir)
                .with_context(|| format!("cannot create the data directory {}", self.data_dir.display()))?;
        }
        // The store's error names the file or the URL without its password.
        Ok(indsats_store::open(&self.location()).await?)
    }

    /// Whether `serve` seeds the demo municipality into an empty database: when asked to, and
    /// otherwise only for the embedded SQLite database, the first `cargo run` on a laptop. A
    /// PostgreSQL database is a real installation, where demo users with published passwords
    /// must never appear by themselves.
    pub fn seeds_demo(&self) -> bool {
        self.demo_on_empty.unwrap_or(matches!(self.location(), Location::Sqlite(_)))
    }

    /// The cookie `Secure` flag in force.
    pub fn secure_cookies(&self) -> bool {
        self.secure_cookies.unwrap_or(!self.addr.ip().is_loopback())
    }

    /// The CPR key file in force.
    pub fn cpr_key_file(&self) -> PathBuf {
        self.cpr_key_file.clone().unwrap_or_else(|| self.data_dir.join("cpr.key"))
    }

    /// The OpenID providers as configured (not yet checked: [`Settings::checked_oidc_providers`]).
    fn oidc_providers(&self) -> Providers {
        let provider = |issuer: &Option<String>,
                        client_id: &Option<String>,
                        secret: &Option<String>,
                        redirect: &Option<String>,
                        claim: &Option<String>,
                        default_claim: &str,
                        scopes: &[&str]| {
            issuer.as_ref().filter(|i| !i.trim().is_empty()).map(|issuer| ProviderConfig {
                issuer: issuer.trim().to_owned(),
                client_id: client_id.clone().unwrap_or_default(),
                client_secret: secret.clone().filter(|s| !s.is_empty()),
                redirect_url: redirect.clone().unwrap_or_default(),
                claim: claim.clone().unwrap_or_else(|| default_claim.to_owned()),
                scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            })
        };
        Providers {
            staff: provider(
                &self.staff_oidc_issuer,
                &self.staff_oidc_client_id,
                &self.staff_oidc_client_secret,
                &self.staff_oidc_redirect_url,
                &self.staff_oidc_claim,
                "preferred_username",
                &["profile", "email"],
            ),
            // A MitID broker needs no scope beyond `openid` to release the CPR attribute to a
            // client registered for it; asking for none keeps the consent screen short.
            citizen: provider(
                &self.citizen_oidc_issuer,
                &self.citizen_oidc_client_id,
                &self.citizen_oidc_client_secret,
                &self.citizen_oidc_redirect_url,
                &self.citizen_oidc_claim,
                "cpr",
                &[],
            ),
        }
    }

    /// The OpenID providers, each checked (URLs, client id): an error names the setting.
    pub fn checked_oidc_providers(&self) -> anyhow::Result<Providers> {
        let providers = self.oidc_providers();
        for (prefix, provider) in [("staff_oidc", &providers.staff), ("citizen_oidc", &providers.citizen)] {
            if let Some(p) = provider {
                p.check().map_err(|e| anyhow::anyhow!("{prefix}: {e}"))?;
            }
        }
        Ok(providers)
    }

    /// The data directory, for messages.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }
}

/// Starts logging: text for people, JSON for collectors; `RUST_LOG` filters.
pub fn init_logging(settings: &Settings) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    // Colour codes only for a person at a terminal, never in files or collectors.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    match settings.log_format {
        LogFormat::Json => builder.json().flatten_event(true).init(),
        LogFormat::Text => builder.init(),
    }
}

#[cfg(test)]
// figment's Jail closures must return its (large) error type.
#[expect(clippy::result_large_err, reason = "figment's error is large; it is made once, at start-up")]
mod tests {
    use super::*;

    fn args() -> ConfigArgs {
        ConfigArgs { addr: None, data_dir: None, database_url: None, log_format: None, config: None }
    }

    #[test]
    fn file_values_are_used_and_flags_win() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("indsats.toml", "addr = \"0.0.0.0:9000\"\ndata_dir = \"/srv/indsats\"")?;
            let settings = Settings::load(&args()).map_err(|e| *e)?;
            assert_eq!(settings.addr, "0.0.0.0:9000".parse().unwrap());
            assert!(settings.secure_cookies(), "a public address gets Secure cookies");
            let mut flags = args();
            flags.addr = Some("127.0.0.1:7000".parse().unwrap());
            let settings = Settings::load(&flags).map_err(|e| *e)?;
            assert_eq!(settings.addr.port(), 7000);
            assert!(!settings.secure_cookies());
            assert_eq!(settings.data_dir, PathBuf::from("/srv/indsats"));
            Ok(())
        });
    }

    #[test]
    fn unknown_or_bad_keys_are_named() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("indsats.toml", "adr = \"0.0.0.0:9000\"")?;
            let err = Settings::load(&args()).unwrap_err().to_string();
            assert!(err.contains("adr"), "{err}");
            jail.create_file("indsats.toml", "addr = \"not an address\"")?;
            let err = Settings::load(&args()).unwrap_err().to_string();
            assert!(err.contains("addr"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn demo_seeding_is_on_only_for_the_embedded_database_unless_asked() {
        figment::Jail::expect_with(|jail| {
            let settings = Settings::load(&args()).map_err(|e| *e)?;
            assert!(settings.seeds_demo(), "the first run on a laptop gets the demo");
            jail.set_env("DATABASE_URL", "postgres://indsats@db/indsats");
            let settings = Settings::load(&args()).map_err(|e| *e)?;
            assert!(!settings.seeds_demo(), "PostgreSQL is a real installation");
            jail.set_env("INDSATS_DEMO_ON_EMPTY", "true");
            assert!(Settings::load(&args()).map_err(|e| *e)?.seeds_demo(), "unless asked for");
            jail.set_env("INDSATS_DEMO_ON_EMPTY", "false");
            jail.set_env("DATABASE_URL", "");
            assert!(!Settings::load(&args()).map_err(|e| *e)?.seeds_demo());
            Ok(())
        });
    }

    #[test]
    fn trusted_proxies_are_addresses_and_the_old_blanket_switch_is_refused() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("indsats.toml", "trusted_proxies = [\"10.0.0.2\", \"::1\"]")?;
            let settings = Settings::load(&args()).map_err(|e| *e)?;
            assert_eq!(settings.trusted_proxies.len(), 2);
            jail.create_file("indsats.toml", "trust_forwarded_for = true")?;
            let err = Settings::load(&args()).unwrap_err().to_string();
            assert!(err.contains("trust_forwarded_for"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn other_indsats_variables_are_not_settings() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("INDSATS_BIN", "/usr/bin/indsats");
            jail.set_env("INDSATS_DATA_DIR", "/srv/data");
            let settings = Settings::load(&args()).map_err(|e| *e)?;
            assert_eq!(settings.data_dir, PathBuf::from("/srv/data"));
            Ok(())
        });
    }

    #[test]
    fn oidc_providers_come_from_the_environment_with_default_claims_and_hidden_secrets() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("INDSATS_CITIZEN_OIDC_ISSUER", "https://mitid.example.dk");
            jail.set_env("INDSATS_CITIZEN_OIDC_CLIENT_ID", "indsats");
            jail.set_env("INDSATS_CITIZEN_OIDC_CLIENT_SECRET", "hemmelig");
            jail.set_env("INDSATS_CITIZEN_OIDC_REDIRECT_URL", "https://indsats.example.dk/login/oidc/borger/svar");
            let settings = Settings::load(&args()).map_err(|e| *e)?;
            let providers = settings.checked_oidc_providers().unwrap();
            assert!(providers.staff.is_none(), "no staff provider unless configured");
            let citizen = providers.citizen.unwrap();
            assert_eq!((citizen.claim.as_str(), citizen.client_secret.as_deref()), ("cpr", Some("hemmelig")));
            assert!(!format!("{settings:?}").contains("hemmelig"));
            jail.set_env("INDSATS_STAFF_OIDC_ISSUER", "http://login.example.dk");
            let settings = Settings::load(&args()).map_err(|e| *e)?;
            let err = settings.checked_oidc_providers().unwrap_err().to_string();
            assert!(err.contains("staff_oidc") && err.contains("https"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn database_url_comes_from_the_environment_and_is_hidden_in_debug() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("DATABASE_URL", "postgres://indsats:hemmelig@db/indsats");
            let settings = Settings::load(&args()).map_err(|e| *e)?;
            assert!(matches!(settings.location(), Location::Postgres(_)));
            assert!(!format!("{settings:?}").contains("hemmelig"));
            Ok(())
        });
    }
}
