//! Demo data: a fictitious municipality and one user per role.

use std::io::Write;

use anyhow::{Context, bail};
use indsats_domain::{MunicipalityCode, Role};
use indsats_store::{Site, Store};
use indsats_web::accounts;

use crate::config::Settings;

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

/// `indsats demo`: seeds an empty data directory, refuses one that holds data.
pub async fn run(settings: &Settings) -> anyhow::Result<()> {
    let store = settings.open_store().await?;
    if store.count_users().await? > 0 {
        bail!(
            "the database already holds users; demo data are only seeded into an empty data directory (use --data-dir to choose another)"
        );
    }
    seed(settings, &*store).await
}

/// Seeds the demo and prints how to log in. The caller has checked that the database is empty.
pub async fn seed(settings: &Settings, store: &dyn Store) -> anyhow::Result<()> {
    store
        .set_site(&Site {
            municipality_code: MunicipalityCode::new(175)?,
            municipality_name: "Demo Kommune".into(),
            is_demo: true,
        })
        .await?;
    let mut lines = Vec::new();
    for (username, name, role) in DEMO_USERS {
        let password = readable_password();
        accounts::create_user(store, None, username, name, role, &password).await?;
        lines.push(format!("{username:<22} {password}   ({role})"));
    }
    let file = settings.data_dir().join(CREDENTIALS_FILE);
    std::fs::create_dir_all(settings.data_dir())?;
    write_private(&file, &format!("{}\n", lines.join("\n")))
        .with_context(|| format!("cannot write {}", file.display()))?;
    println!("Demo data seeded: a fictitious municipality and one user per role.");
    println!("Log in with one of these (user name, password, role); they are also in {}:", file.display());
    for line in &lines {
        println!("  {line}");
    }
    Ok(())
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
