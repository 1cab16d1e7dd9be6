//! `indsats user ...` and `indsats token ...`: scriptable account administration.

use anyhow::{Context, bail};
use indsats_app::accounts;
use indsats_domain::{Role, Username, format};

use crate::config::Settings;

/// Adds a user.
pub async fn add(
    settings: &Settings,
    username: &str,
    role: &str,
    name: Option<&str>,
    password: &str,
) -> anyhow::Result<()> {
    let role: Role = role.parse().context("--role")?;
    let store = settings.open_store().await?;
    accounts::create_user(&*store, None, username, name.unwrap_or(username), role, password)
        .await
        .with_context(|| format!("cannot add user {:?}", username.trim()))?;
    println!("Added {} as {role}.", username.trim().to_lowercase());
    Ok(())
}

/// Lists users.
pub async fn list(settings: &Settings) -> anyhow::Result<()> {
    let store = settings.open_store().await?;
    println!("{:<24} {:<22} {:<9} {:<20} name", "username", "role", "status", "created");
    for user in store.list_users().await? {
        let status = if user.disabled { "disabled" } else { "active" };
        println!(
            "{:<24} {:<22} {:<9} {:<20} {}",
            user.username.as_str(),
            user.role.as_str(),
            status,
            format::datetime(user.created_at, "%Y-%m-%d %H:%M"),
            user.display_name
        );
    }
    Ok(())
}

/// Disables or enables a user.
pub async fn set_disabled(settings: &Settings, username: &str, disabled: bool) -> anyhow::Result<()> {
    let name = Username::parse(username).context("username")?;
    let store = settings.open_store().await?;
    match accounts::set_disabled(&*store, None, name.as_str(), disabled).await {
        Err(accounts::AccountError::UnknownUser) => bail!("no user named {name}"),
        other => other?,
    }
    println!("{name} is {}.", if disabled { "disabled and logged out everywhere" } else { "enabled" });
    Ok(())
}

/// Creates an API token and prints it.
pub async fn create_token(settings: &Settings, username: &str, name: &str) -> anyhow::Result<()> {
    if name.trim().is_empty() {
        bail!("--name must say what the token is for");
    }
    let store = settings.open_store().await?;
    let secret = accounts::create_api_token(&*store, None, username, name)
        .await
        .with_context(|| format!("cannot create a token for {:?}", username.trim()))?;
    println!("{secret}");
    eprintln!("Keep this token secret; it is not shown again. Send it as 'Authorization: Bearer <token>'.");
    Ok(())
}
