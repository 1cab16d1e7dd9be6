//! The demo: a fictitious municipality with one user per role, a synthetic register the size
//! of Rødovre's, and the example plans. Seeded into an empty data directory only.

use std::io::Write;
use std::path::{Path, PathBuf};

use indsats_domain::plan::parse;
use indsats_domain::{CitizenId, MunicipalityCode, Role, UserId};
use indsats_register::files::Tables;
use indsats_register::import;
use indsats_register::synth::{self, Municipalities, SynthConfig};
use indsats_store::{Site, Store, StoreError};

use crate::accounts::{self, AccountError};
use crate::vault::Vault;

/// The demo users: user name, display name, role. The names are made up.
const DEMO_USERS: [(&str, &str, Role); 5] = [
    ("sagsbehandler", "Anne Holm", Role::Sagsbehandler),
    ("virksomhedskonsulent", "Karim Nielsen", Role::Virksomhedskonsulent),
    ("leder", "Lene Kjær", Role::Leder),
    ("udvalg", "Poul Mortensen", Role::Udvalg),
    ("admin", "Sofie Admin", Role::Admin),
];

/// The file in the data directory that keeps the demo passwords.
pub const CREDENTIALS_FILE: &str = "demo-credentials.txt";

/// Why the demo could not be seeded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The database already holds users: demo data never go into a data directory in use.
    #[error("the database already holds users; demo data are only seeded into an empty data directory")]
    NotEmpty,
    /// A demo user could not be created.
    #[error("cannot create a demo user: {0}")]
    Account(#[from] AccountError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An example plan could not be stored.
    #[error("cannot store an example plan: {0}")]
    StorePlan(#[from] crate::plans::PlanError),
    /// A bundled example plan does not check (a defect of this build).
    #[error("{file}: {problems}")]
    Plan {
        /// The plan file.
        file: &'static str,
        /// Its problems.
        problems: String,
    },
    /// The synthetic register could not be generated or written.
    #[error("cannot generate the demo register: {0}")]
    Register(String),
    /// A file in the data directory could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// What seeding made: the demo users' log-in lines and, when it was generated, the register.
#[derive(Debug)]
pub struct Seeded {
    /// `user name  password  (role)`, one per demo user; also written to [`CREDENTIALS_FILE`].
    pub credentials: Vec<String>,
    /// Where the credentials were written.
    pub credentials_file: PathBuf,
    /// Persons generated and seconds it took, when the data directory had no register yet.
    pub register: Option<(usize, f64)>,
    /// Open cases seeded for the demo's caseworkers (none when the register existed already).
    pub cases: usize,
}

/// Seeds the demo into `data_dir` and its database. Refuses a database that holds users.
pub async fn seed(store: &dyn Store, data_dir: &Path, vault: &Vault) -> Result<Seeded, DemoError> {
    if store.count_users().await? > 0 {
        return Err(DemoError::NotEmpty);
    }
    store
        .set_site(&Site {
            municipality_code: MunicipalityCode::new(DEMO_MUNICIPALITY)
                .map_err(|e| DemoError::Register(e.to_string()))?,
            municipality_name: "Demo Kommune".into(),
            is_demo: true,
        })
        .await?;
    let mut credentials = Vec::new();
    let mut caseworker = None;
    for (username, name, role) in DEMO_USERS {
        let password = readable_password();
        let user = accounts::create_user(store, None, username, name, role, &password).await?;
        if role == Role::Sagsbehandler {
            caseworker = Some(user);
        }
        credentials.push(format!("{username:<22} {password}   ({role})"));
    }
    let credentials_file = data_dir.join(CREDENTIALS_FILE);
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| DemoError::Io { path, source }
    };
    indsats_register::import::create_private_dir(data_dir).map_err(io(data_dir))?;
    let register_dir = data_dir.join("register");
    let register = if register_dir.exists() {
        None
    } else {
        let started = std::time::Instant::now();
        let dir = register_dir.clone();
        // Generating a municipality's register takes seconds of both cores: off the async workers.
        let (persons, candidates) = tokio::task::spawn_blocking(move || seed_register(&dir))
            .await
            .map_err(|e| DemoError::Register(e.to_string()))??;
        Some((persons, started.elapsed().as_secs_f64(), candidates))
    };
    let mut cases = 0;
    let register = match (register, caseworker) {
        (Some((persons, seconds, candidates)), Some(own)) => {
            cases = crate::demo_cases::seed(store, vault, candidates, own, crate::cases::local_now().date()).await?;
            if let Some(line) = seed_citizen_login(store, own, cases).await? {
                credentials.push(line);
            }
            Some((persons, seconds))
        }
        (register, _) => register.map(|(persons, seconds, _)| (persons, seconds)),
    };
    write_private(&credentials_file, &format!("{}\n", credentials.join("\n"))).map_err(io(&credentials_file))?;
    for (file, text) in DEMO_PLANS {
        let plan = parse(text).map_err(|p| DemoError::Plan {
            file,
            problems: p.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "),
        })?;
        crate::plans::load(store, &plan, text, None).await?;
    }
    Ok(Seeded { credentials, credentials_file, register, cases })
}

/// The demo's citizen login: an account (role `borger`) for the first case of the demo's own
/// caseworker, with a password, so the citizen's page can be seen without a MitID broker. A
/// real citizen's account has no password and logs in through the citizens' OpenID provider.
async fn seed_citizen_login(store: &dyn Store, own: UserId, cases: usize) -> Result<Option<String>, DemoError> {
    // The demo seeds an empty database, so its cases are numbered from 1.
    let last = i64::try_from(cases).unwrap_or(i64::MAX);
    let mut citizen = None;
    for id in 1..=last {
        let access = store.case_access(CitizenId(id)).await?;
        if access.is_some_and(|a| a.caseworker == Some(own) && a.closed_on.is_none()) {
            citizen = Some(CitizenId(id));
            break;
        }
    }
    let Some(citizen) = citizen else { return Ok(None) };
    let account = crate::oidc::citizen_account(store, citizen, None).await?;
    let password = readable_password();
    let hash = accounts::hash_password(&indsats_domain::Password::parse(&password).map_err(AccountError::from)?)?;
    store.set_password_hash(&account.username, &hash, None).await?;
    Ok(Some(format!("{:<22} {password}   ({})", account.username, Role::Borger)))
}

/// The demo municipality's register profile (Rødovre's size and figures) and the years shown.
const DEMO_MUNICIPALITY: u16 = 175;
/// Municipalities generated at full size: the demo municipality and Gladsaxe, whose plan 2022
/// is among the example plans the demo loads, so its report has real-sized figures.
const FULL_SIZE: [u16; 2] = [DEMO_MUNICIPALITY, 159];
/// The example plans the demo loads (see `plans/`).
const DEMO_PLANS: [(&str, &str); 4] = [
    ("plans/gladsaxe-2022.toml", include_str!("../../../plans/gladsaxe-2022.toml")),
    ("plans/roedovre-2023-24.toml", include_str!("../../../plans/roedovre-2023-24.toml")),
    ("plans/odense-rummelige-arbejdsmarked.toml", include_str!("../../../plans/odense-rummelige-arbejdsmarked.toml")),
    // Invented for the demo: its indicators are the operational figures of the seeded cases.
    ("plans/demo-driftsmaal-2025-26.toml", include_str!("../../../plans/demo-driftsmaal-2025-26.toml")),
];
const DEMO_YEARS: (i32, i32) = (2016, 2025);
/// The share of the other municipalities' residents drawn for the whole-country line.
const NATIONAL_SAMPLE: f64 = 0.01;

/// Generates the demo register: the demo municipality and Gladsaxe at full size, and a 1 % sample
/// of the other 96 for the whole-country comparison. The sample keeps the demo fast to start; it
/// weights the full-size municipalities more than their true share in `000`, which real data do not.
fn seed_register(out: &Path) -> Result<(usize, Vec<crate::demo_cases::Candidate>), DemoError> {
    let (from, to) = DEMO_YEARS;
    let failed = |e: synth::SynthError| DemoError::Register(e.to_string());
    let local =
        synth::generate(&SynthConfig::new(Municipalities::Only(FULL_SIZE.to_vec()), from, to, 1)).map_err(failed)?;
    let national =
        synth::generate(&SynthConfig { scale: NATIONAL_SAMPLE, ..SynthConfig::new(Municipalities::All, from, to, 2) })
            .map_err(failed)?;
    let candidates = crate::demo_cases::candidates(&local, DEMO_MUNICIPALITY);
    let tables = merge_without(local, national, &FULL_SIZE);
    let persons = tables.persons.len();
    import::install_synthetic(&tables, out).map_err(|e| DemoError::Register(e.to_string()))?;
    Ok((persons, candidates))
}

/// `base` plus the persons of `other` who never lived in any of `municipalities`, renumbered after `base`'s.
fn merge_without(mut base: Tables, other: Tables, municipalities: &[u16]) -> Tables {
    let offset = base.persons.iter().map(|p| p.id).max().unwrap_or(0) + 1;
    let excluded: std::collections::HashSet<i64> =
        other.residences.iter().filter(|r| municipalities.contains(&r.municipality)).map(|r| r.person_id).collect();
    let keep = |id: i64| !excluded.contains(&id);
    base.persons.extend(other.persons.into_iter().filter(|p| keep(p.id)).map(|mut p| {
        p.id += offset;
        p
    }));
    base.residences.extend(other.residences.into_iter().filter(|r| keep(r.person_id)).map(|mut r| {
        r.person_id += offset;
        r
    }));
    base.benefits.extend(other.benefits.into_iter().filter(|b| keep(b.person_id)).map(|mut b| {
        b.person_id += offset;
        b
    }));
    base.activations.extend(other.activations.into_iter().filter(|a| keep(a.person_id)).map(|mut a| {
        a.person_id += offset;
        a
    }));
    base
}

/// 20 characters in groups of four, easy to type, about 100 bits of entropy.
fn readable_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let secret = accounts::new_secret();
    let chars: Vec<char> =
        secret.bytes().take(20).map(|b| char::from(ALPHABET[usize::from(b) % ALPHABET.len()])).collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}
