//! The office's workflow settings: the certificate scheme, the chair's term, the notice
//! templates and the import limit, checked together and saved in one transaction.

use rusqlite::{params, TransactionBehavior};

use super::Registry;
use crate::certificate::{self};
use crate::error::{Error, Result};

use super::certificates::CERTIFICATE_SCHEME;

impl Registry {
    /// The certificate scheme in force.
    pub fn certificate_scheme(&self) -> Result<String> {
        Ok(self
            .setting(CERTIFICATE_SCHEME)?
            .unwrap_or_else(|| certificate::DEFAULT_SCHEME.to_string()))
    }

    pub fn set_certificate_scheme(&mut self, scheme: &str) -> Result<()> {
        certificate::check_scheme(scheme).map_err(Error::invalid)?;
        self.set_setting(CERTIFICATE_SCHEME, scheme.trim())
    }

    /// The largest spreadsheet to import, in MB.
    pub fn import_max_mb(&self) -> Result<u32> {
        Ok(self
            .setting(crate::exchange::read::IMPORT_MAX_MB_SETTING)?
            .and_then(|v| v.parse().ok())
            .filter(|mb| (1..=1024).contains(mb))
            .unwrap_or(crate::exchange::read::DEFAULT_MAX_MB as u32))
    }

    /// The limits a spreadsheet to import is read within.
    pub fn import_limits(&self) -> Result<crate::exchange::read::Limits> {
        Ok(crate::exchange::read::Limits {
            max_bytes: u64::from(self.import_max_mb()?) << 20,
        })
    }

    pub fn workflow_settings(&self) -> Result<crate::vocabulary::WorkflowSettings> {
        use crate::notice::NoticeKind;
        Ok(crate::vocabulary::WorkflowSettings {
            certificate_scheme: self.certificate_scheme()?,
            chair_term_months: self.chair_term_months()?,
            import_max_mb: self.import_max_mb()?,
            approval: self.notice_template(NoticeKind::Approval)?,
            rejection: self.notice_template(NoticeKind::Rejection)?,
        })
    }

    /// Saves the workflow settings in one transaction, after checking all of them: the
    /// certificate scheme, the chair's term (1-60 months), and both notice templates.
    pub fn save_workflow_settings(
        &mut self,
        s: &crate::vocabulary::WorkflowSettings,
    ) -> Result<()> {
        use crate::notice::{NoticeKind, Template};
        let problems = s.check();
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let json =
            |t: &Template| serde_json::to_string(t).map_err(|e| Error::Storage(e.to_string()));
        for (k, v) in [
            (
                CERTIFICATE_SCHEME.to_string(),
                s.certificate_scheme.trim().to_string(),
            ),
            (
                "chair.term_months".to_string(),
                s.chair_term_months.to_string(),
            ),
            (
                crate::exchange::read::IMPORT_MAX_MB_SETTING.to_string(),
                s.import_max_mb.to_string(),
            ),
            (
                Template::setting_key(NoticeKind::Approval),
                json(&s.approval)?,
            ),
            (
                Template::setting_key(NoticeKind::Rejection),
                json(&s.rejection)?,
            ),
        ] {
            tx.prepare_cached(
                "INSERT INTO setting (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![k, v])?;
        }
        tx.commit()?;
        Ok(())
    }
}
