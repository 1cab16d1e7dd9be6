//! The installation's own settings: which municipality it serves.

use indsats_domain::MunicipalityCode;

use crate::StoreError;

/// The municipality this installation serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// Kommunekode.
    pub municipality_code: MunicipalityCode,
    /// Name shown in the header.
    pub municipality_name: String,
    /// Whether the data are the generated demo.
    pub is_demo: bool,
}

/// Persistence of the site settings (one row).
#[async_trait::async_trait]
pub trait SiteSettings {
    /// The settings, if the installation has been set up.
    async fn site(&self) -> Result<Option<Site>, StoreError>;
    /// Writes the settings, replacing any earlier ones.
    async fn set_site(&self, site: &Site) -> Result<(), StoreError>;
}

impl_for_both! {
    impl SiteSettings {
        async fn site(&self) -> Result<Option<Site>, StoreError> {
            let row: Option<(i32, String, bool)> =
                sqlx::query_as("SELECT municipality_code, municipality_name, is_demo FROM site WHERE id = 1")
                    .fetch_optional(&self.pool)
                    .await?;
            row.map(|(code, municipality_name, is_demo)| {
                let municipality_code = u16::try_from(code)
                    .ok()
                    .and_then(|c| MunicipalityCode::new(c).ok())
                    .ok_or_else(|| {
                        StoreError::corrupt("site", "id=1".into(), "municipality_code", format!("{code} is not a municipality code"))
                    })?;
                Ok(Site { municipality_code, municipality_name, is_demo })
            })
            .transpose()
        }

        async fn set_site(&self, site: &Site) -> Result<(), StoreError> {
            sqlx::query(
                "INSERT INTO site (id, municipality_code, municipality_name, is_demo, created_at) VALUES (1, $1, $2, $3, $4) \
                 ON CONFLICT (id) DO UPDATE SET municipality_code = excluded.municipality_code, \
                 municipality_name = excluded.municipality_name, is_demo = excluded.is_demo",
            )
            .bind(i32::from(site.municipality_code.get()))
            .bind(&site.municipality_name)
            .bind(site.is_demo)
            .bind(crate::unix_now())
            .execute(&self.pool)
            .await?;
            Ok(())
        }
    }
}
