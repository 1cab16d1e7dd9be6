//! CPR numbers at rest: sealed with a key from configuration, found through a keyed hash.
//!
//! The key file holds 32 random bytes as 64 hex digits. Two working keys are derived from
//! it (HMAC-SHA256 with fixed labels): one seals numbers with XChaCha20-Poly1305 (random
//! 24-byte nonce, so the same number never seals to the same text twice), one computes the
//! lookup hash, which is what a search by CPR compares. Without the key file the database
//! reveals neither numbers nor, by trying all 10^10 of them, which number a row holds.
//!
//! A sealed value names the key that sealed it (`v1:<key id>:<base64>`), so a vault can hold
//! old keys for opening while sealing with the current one; rotation is described in
//! `docs/case-work.md`.

use std::io::Write as _;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use indsats_domain::Cpr;
use sha2::{Digest, Sha256};

/// A key file that cannot be used, or a sealed value that does not open. No message names
/// a number.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The key file could not be read or written.
    #[error("cannot use the CPR key file {path}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The key file does not hold 64 hex digits.
    #[error("the CPR key file {0} must hold 64 hexadecimal digits (32 bytes)")]
    BadKey(std::path::PathBuf),
    /// The key file is missing while citizens are stored.
    #[error(
        "the CPR key file {0} is missing, but the database holds citizens: restore the key file from the backup \
         (a new key could not open their numbers)"
    )]
    Missing(std::path::PathBuf),
    /// A sealed value names a key this vault does not hold, or does not open with it.
    #[error("a sealed CPR number does not open with the configured key (key id {0})")]
    CannotOpen(String),
}

/// The keys for CPR numbers.
pub struct Vault {
    current: Key,
    older: Vec<Key>,
}

struct Key {
    id: String,
    seal: XChaCha20Poly1305,
    lookup: [u8; 32],
}

impl std::fmt::Debug for Vault {
    // Never the key material.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault").field("key_id", &self.current.id).field("older", &self.older.len()).finish()
    }
}

/// HMAC-SHA256 of `data` under `key`.
#[expect(clippy::expect_used, reason = "HMAC accepts a key of any length, so new_from_slice cannot fail")]
fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

fn derive(master: &[u8; 32], label: &[u8]) -> [u8; 32] {
    hmac(master, label)
}

impl Key {
    fn new(master: [u8; 32]) -> Self {
        let id = hex::encode(&Sha256::digest(derive(&master, b"indsats cpr key id"))[..4]);
        let seal = XChaCha20Poly1305::new(&derive(&master, b"indsats cpr seal v1").into());
        Key { id, seal, lookup: derive(&master, b"indsats cpr lookup v1") }
    }
}

impl Vault {
    /// A vault from raw key bytes; `older` keys only open.
    pub fn from_keys(current: [u8; 32], older: &[[u8; 32]]) -> Self {
        Vault { current: Key::new(current), older: older.iter().map(|k| Key::new(*k)).collect() }
    }

    /// Reads the key file.
    pub fn open(path: &Path) -> Result<Self, VaultError> {
        let text = std::fs::read_to_string(path).map_err(|source| VaultError::Io { path: path.to_owned(), source })?;
        let bytes = hex::decode(text.trim()).map_err(|_| VaultError::BadKey(path.to_owned()))?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| VaultError::BadKey(path.to_owned()))?;
        Ok(Vault::from_keys(key, &[]))
    }

    /// Creates a new random key file readable by its owner only (0600) and opens it. Refuses
    /// to overwrite an existing file: that would make every sealed number unreadable.
    pub fn create(path: &Path) -> Result<Self, VaultError> {
        let io = |source| VaultError::Io { path: path.to_owned(), source };
        let key: [u8; 32] = rand::random();
        // On PostgreSQL nothing else has made the data directory yet.
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(dir).map_err(io)?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(path).and_then(|mut f| writeln!(f, "{}", hex::encode(key))).map_err(io)?;
        Ok(Vault::from_keys(key, &[]))
    }

    /// The vault for an installation: the key file at `path`, created when it is missing and
    /// no citizen is stored yet. Missing while citizens exist is an error: a new key could not
    /// open their numbers.
    pub async fn for_installation(store: &dyn indsats_store::Store, path: &Path) -> Result<Self, VaultError> {
        if path.exists() {
            return Vault::open(path);
        }
        match store.count_citizens().await {
            Ok(0) => {
                let vault = Vault::create(path)?;
                tracing::warn!(path = %path.display(), "created a new CPR key file: back it up with the database");
                Ok(vault)
            }
            Ok(_) => Err(VaultError::Missing(path.to_owned())),
            Err(e) => Err(VaultError::Io { path: path.to_owned(), source: std::io::Error::other(e.to_string()) }),
        }
    }

    /// The id of the key that seals, for the admin page and logs.
    pub fn key_id(&self) -> &str {
        &self.current.id
    }

    /// The keyed hash a citizen is found by (hex).
    pub fn lookup(&self, cpr: &Cpr) -> String {
        hex::encode(hmac(&self.current.lookup, cpr.reveal().as_bytes()))
    }

    /// The number sealed under the current key.
    #[expect(
        clippy::expect_used,
        reason = "XChaCha20-Poly1305 fails only on messages of gigabytes; a CPR number is 11 bytes"
    )]
    pub fn seal(&self, cpr: &Cpr) -> String {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .current
            .seal
            .encrypt(&nonce, cpr.reveal().as_bytes())
            .expect("XChaCha20-Poly1305 encrypts any short message");
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        format!("v1:{}:{}", self.current.id, BASE64.encode(bytes))
    }

    /// Opens a sealed number with whichever of the vault's keys sealed it.
    pub fn unseal(&self, sealed: &str) -> Result<Cpr, VaultError> {
        let mut parts = sealed.splitn(3, ':');
        let (Some("v1"), Some(id), Some(body)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(VaultError::CannotOpen(String::from("?")));
        };
        let fail = || VaultError::CannotOpen(id.to_owned());
        let key = std::iter::once(&self.current).chain(&self.older).find(|k| k.id == id).ok_or_else(fail)?;
        let bytes = BASE64.decode(body).map_err(|_| fail())?;
        let (nonce, ciphertext) = bytes.split_at_checked(24).ok_or_else(fail)?;
        let nonce: [u8; 24] = nonce.try_into().map_err(|_| fail())?;
        let plain = key.seal.decrypt(&XNonce::from(nonce), ciphertext).map_err(|_| fail())?;
        let text = String::from_utf8(plain).map_err(|_| fail())?;
        Cpr::parse(&text).map_err(|_| fail())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cpr(s: &str) -> Cpr {
        Cpr::parse(s).unwrap()
    }

    #[test]
    fn sealing_hides_the_number_and_opens_again() {
        let vault = Vault::from_keys([7; 32], &[]);
        let number = cpr("010190-1234");
        let a = vault.seal(&number);
        let b = vault.seal(&number);
        assert_ne!(a, b, "a fresh nonce each time");
        assert!(!a.contains("0101901234") && !a.contains("010190-1234"));
        assert_eq!(vault.unseal(&a).unwrap(), number);
        assert_eq!(vault.unseal(&b).unwrap(), number);
    }

    #[test]
    fn lookups_are_stable_per_key_and_differ_between_keys() {
        let one = Vault::from_keys([1; 32], &[]);
        let two = Vault::from_keys([2; 32], &[]);
        let number = cpr("010190-1234");
        assert_eq!(one.lookup(&number), one.lookup(&cpr("0101901234")));
        assert_ne!(one.lookup(&number), two.lookup(&number));
        assert_ne!(one.lookup(&number), one.lookup(&cpr("010190-1235")));
    }

    #[test]
    fn another_key_cannot_open_and_a_tampered_value_is_refused() {
        let one = Vault::from_keys([1; 32], &[]);
        let two = Vault::from_keys([2; 32], &[]);
        let sealed = one.seal(&cpr("010190-1234"));
        assert!(matches!(two.unseal(&sealed), Err(VaultError::CannotOpen(_))));
        let mut tampered = sealed.clone().into_bytes();
        let last = tampered.len() - 3;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        assert!(one.unseal(std::str::from_utf8(&tampered).unwrap()).is_err());
        // After rotation the old key still opens what it sealed.
        let rotated = Vault::from_keys([2; 32], &[[1; 32]]);
        assert_eq!(rotated.unseal(&sealed).unwrap(), cpr("010190-1234"));
    }

    #[test]
    fn the_key_file_is_created_private_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cpr.key");
        let vault = Vault::create(&path).unwrap();
        let sealed = vault.seal(&cpr("010190-1234"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert!(matches!(Vault::create(&path), Err(VaultError::Io { .. })));
        assert_eq!(Vault::open(&path).unwrap().unseal(&sealed).unwrap(), cpr("010190-1234"));
        std::fs::write(&path, "not hex").unwrap();
        assert!(matches!(Vault::open(&path), Err(VaultError::BadKey(_))));
    }

    #[test]
    fn the_key_file_gets_a_private_data_directory_when_none_exists() {
        // On PostgreSQL no database file has made the data directory before the key is created.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data").join("cpr.key");
        Vault::create(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(dir.path().join("data")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        assert!(Vault::open(&path).is_ok());
    }
}
