//! Attachment files: copied into `attachments/` beside the database, described by a row.
//! The file is written before the row commits and removed again if the commit fails, so a row
//! never points at a missing file.

use std::path::PathBuf;

use rusqlite::{params, OptionalExtension, TransactionBehavior};

use super::Registry;
use crate::attachment::{check_file, stored_name, Attachment, Purpose};
use crate::audit::Stamp;
use crate::error::{Error, Result};

/// What an attachment belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
#[ts(export)]
pub enum Owner {
    Application(#[ts(type = "number")] i64),
    Member(#[ts(type = "number")] i64),
    Motion(#[ts(type = "number")] i64),
}

impl Owner {
    fn columns(self) -> (Option<i64>, Option<i64>, Option<i64>) {
        match self {
            Owner::Application(id) => (Some(id), None, None),
            Owner::Member(id) => (None, Some(id), None),
            Owner::Motion(id) => (None, None, Some(id)),
        }
    }
}

fn attachment_not_found(id: i64) -> Error {
    crate::attachment::not_found(id)
}

impl Registry {
    fn attachments_dir(&self) -> Result<PathBuf> {
        self.files
            .clone()
            .map(|d| d.join("attachments"))
            .ok_or_else(|| Error::DataDir {
                path: String::new(),
                message: "this registry has no data folder (it lives in memory)".into(),
            })
    }

    /// Keeps a copy of the file at `path` with its owner: its size is checked on disk before
    /// it is read, then its content as [`Registry::add_attachment`] does.
    pub fn add_attachment_file(
        &mut self,
        owner: Owner,
        purpose: Purpose,
        path: &std::path::Path,
        stamp: &Stamp,
    ) -> Result<Attachment> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let unreadable = |e: std::io::Error| crate::attachment::unreadable(&name, &e);
        let size = std::fs::metadata(path).map_err(unreadable)?.len();
        crate::attachment::check_size(&name, size).map_err(Error::invalid)?;
        let bytes = std::fs::read(path).map_err(unreadable)?;
        self.add_attachment(owner, purpose, &name, &bytes, stamp)
    }

    /// Keeps a copy of a file with its owner. The content is checked first (see
    /// [`check_file`]); the owner must exist.
    pub fn add_attachment(
        &mut self,
        owner: Owner,
        purpose: Purpose,
        file_name: &str,
        bytes: &[u8],
        stamp: &Stamp,
    ) -> Result<Attachment> {
        // The name as kept: its last part only, without control characters or direction
        // overrides; the type is judged on that name and on the content.
        let name = crate::attachment::clean_file_name(
            file_name.rsplit(['/', '\\']).next().unwrap_or(file_name),
        );
        let media_type = check_file(&name, bytes).map_err(Error::invalid)?;
        let dir = self.attachments_dir()?;
        std::fs::create_dir_all(&dir).map_err(|e| Error::DataDir {
            path: dir.display().to_string(),
            message: e.to_string(),
        })?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (app, member, motion) = owner.columns();
        let exists: bool = tx.query_row(
            "SELECT CASE WHEN ?1 IS NOT NULL THEN EXISTS (SELECT 1 FROM application WHERE id = ?1)
                         WHEN ?2 IS NOT NULL THEN EXISTS (SELECT 1 FROM member WHERE id = ?2)
                         ELSE EXISTS (SELECT 1 FROM motion WHERE id = ?3) END",
            params![app, member, motion],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(match owner {
                Owner::Application(id) => crate::application::not_found(id),
                Owner::Member(id) => Error::MemberNotFound(id),
                Owner::Motion(id) => crate::presidium::not_found(id),
            });
        }
        tx.execute(
            "INSERT INTO attachment (application_id, member_id, motion_id, purpose, file_name,
                stored_name, media_type, size, added_at, actor)
             VALUES (?1, ?2, ?3, ?4, ?5, 'pending-' || hex(randomblob(8)), ?6, ?7, ?8, ?9)",
            params![
                app,
                member,
                motion,
                purpose.key(),
                name,
                media_type,
                bytes.len() as i64,
                stamp.at_text(),
                stamp.actor
            ],
        )?;
        let id = tx.last_insert_rowid();
        let stored = stored_name(id, &name);
        tx.execute(
            "UPDATE attachment SET stored_name = ?2 WHERE id = ?1",
            params![id, stored],
        )?;
        let path = dir.join(&stored);
        let partial = dir.join(format!("{stored}.part"));
        // Written whole and flushed under a temporary name; a full disk or a folder turned
        // read-only leaves no part behind, and the row is not committed.
        let written = (|| {
            use std::io::Write;
            let mut f = std::fs::File::create(&partial)?;
            f.write_all(bytes)?;
            f.sync_all()?;
            std::fs::rename(&partial, &path)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&partial);
            return Err(Error::write_failed(&path, &e));
        }
        if let Err(e) = tx.commit() {
            let _ = std::fs::remove_file(&path);
            return Err(e.into());
        }
        Ok(Attachment {
            id,
            purpose,
            kind: crate::attachment::kind_label(&name),
            file_name: name,
            media_type,
            size: bytes.len() as u64,
            added_at: stamp.at_text(),
        })
    }

    pub fn attachments_of(&self, owner: Owner) -> Result<Vec<Attachment>> {
        let (app, member, motion) = owner.columns();
        let mut stmt = self.conn.prepare(
            "SELECT id, purpose, file_name, media_type, size, added_at FROM attachment
             WHERE application_id IS ?1 AND member_id IS ?2 AND motion_id IS ?3 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![app, member, motion], |r| {
            let file_name: String = r.get(2)?;
            Ok(Attachment {
                id: r.get(0)?,
                purpose: super::rows::key(r, 1, Purpose::parse)?,
                kind: crate::attachment::kind_label(&file_name),
                file_name,
                media_type: r.get(3)?,
                size: r.get::<_, i64>(4)? as u64,
                added_at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Where an attachment's file is, for opening it with the system's viewer.
    pub fn attachment_path(&self, id: i64) -> Result<PathBuf> {
        let stored: String = self
            .conn
            .query_row(
                "SELECT stored_name FROM attachment WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| attachment_not_found(id))?;
        let path = self.attachments_dir()?.join(stored);
        if !path.is_file() {
            return Err(crate::attachment::missing(&path));
        }
        Ok(path)
    }

    /// The attachment's file, to be handed to the system's viewer: only when its type is on
    /// the allow-list and its content is that type, so nothing kept is ever run as a program
    /// (a file kept by an earlier version, or changed on disk since, is refused with where
    /// it is).
    pub fn attachment_to_open(&self, id: i64) -> Result<PathBuf> {
        let path = self.attachment_path(id)?;
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !crate::attachment::may_open(&name, &bytes) {
            return Err(crate::attachment::not_opened(&path));
        }
        Ok(path)
    }
}
