//! Export and import against storage. An export reads one snapshot; an import plans and
//! writes inside one transaction, so that what the preview shows is exactly what the
//! registry's rules say, and the file is written entirely or not at all.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior};

use super::members::{create_in, each_member, update_in};
use super::rows::get_member;
use super::Registry;
use crate::audit::Stamp;
use crate::error::{Error, Problem, Result};
use crate::exchange::export::{self, ExportFormat, ExportRequest, ExportSummary};
use crate::exchange::import::{
    self, ImportAction, ImportCounts, ImportOptions, ImportReport, ImportRow, LISTED_PER_ACTION,
};
use crate::exchange::read;
use crate::exchange::sheet::Cell;
use crate::exchange::values::set_field;
use crate::field::Field;
use crate::member::MemberInput;

impl Registry {
    /// Writes the members `request` selects to `path` (.xlsx or .csv), from one consistent
    /// snapshot. The file appears only when complete.
    pub fn export_members(&self, request: &ExportRequest, path: &Path) -> Result<ExportSummary> {
        let format = ExportFormat::of(path)?;
        let columns = request.columns()?;
        let mut writer = export::writer(format, &columns, request.public, request.encoding)?;
        let mut members = 0u32;
        {
            // A read transaction: a save from the CLI half-way through cannot tear the file.
            let snapshot = self.conn.unchecked_transaction()?;
            each_member(&snapshot, &request.query, |m| {
                members += 1;
                writer.member(&m)
            })?;
        }
        let bytes = writer.finish()?;
        crate::documents::save(path, &bytes)?;
        Ok(ExportSummary {
            path: path.display().to_string(),
            format,
            members,
            columns: columns.len() as u32,
            bytes: bytes.len() as u64,
        })
    }

    /// Reads a spreadsheet of members and adds or updates them by the registry's rules.
    ///
    /// With `dry_run` (the preview) nothing is kept. Otherwise everything is written in one
    /// transaction; when rows are in error nothing is written unless `options.skip_invalid`,
    /// in which case the valid rows are written and the others listed with their reasons.
    pub fn import(
        &mut self,
        path: &Path,
        options: &ImportOptions,
        stamp: &Stamp,
        dry_run: bool,
    ) -> Result<ImportReport> {
        let sheet = read::read(path, &options.sheet, self.import_limits()?)?;
        let (header, headers, mapping) = import::layout(&sheet, options)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut planner = Planner {
            tx: &tx,
            stamp,
            mapping: &mapping,
            seen: HashMap::new(),
            taken: Vec::new(),
            counts: ImportCounts::default(),
            rows: Vec::new(),
        };
        for (i, row) in sheet.rows.iter().enumerate().skip(header + 1) {
            if import::is_blank(row) {
                continue;
            }
            planner.row(i as u32 + 1, row)?;
        }
        let Planner { counts, rows, .. } = planner;
        let (format, sheet_name) = (sheet.format.clone(), sheet.name.clone());
        // Freeing a sheet of 100,000 rows (millions of small strings) takes a noticeable
        // moment; it is done on another thread, off the clerk's wait.
        std::thread::spawn(move || drop(sheet));
        let mut refused = None;
        let written = if dry_run {
            false
        } else if counts.errors > 0 && !options.skip_invalid {
            refused = Some(crate::exchange::import::rows_in_error(counts.errors));
            false
        } else if counts.new + counts.updated > 0 {
            tx.commit()?;
            true
        } else {
            false
        };
        Ok(ImportReport {
            file: path.display().to_string(),
            format,
            sheet: sheet_name,
            header_row: header as u32 + 1,
            headers,
            mapping,
            counts,
            rows,
            written,
            refused,
        })
    }
}

/// Walks the rows inside the import's transaction, writing each valid one as it goes (later
/// rows then see earlier ones, as they would one by one) and remembering what it saw.
struct Planner<'a> {
    tx: &'a Transaction<'a>,
    stamp: &'a Stamp,
    mapping: &'a [Option<Field>],
    /// Identity keys (code, normalised name, member number) of rows already taken, with the
    /// row's number and its place in `taken`: a second row for the same unit is a duplicate.
    seen: HashMap<String, (u32, usize)>,
    /// The values of the rows taken, once each (a row has up to three keys).
    taken: Vec<MemberInput>,
    counts: ImportCounts,
    rows: Vec<ImportRow>,
}

impl Planner<'_> {
    fn row(&mut self, row_no: u32, cells: &[Cell]) -> Result<()> {
        self.counts.rows += 1;
        let given: Vec<(Field, &Cell)> = self
            .mapping
            .iter()
            .enumerate()
            .filter_map(|(c, f)| Some((((*f)?), cells.get(c)?)))
            .filter(|(_, cell)| !cell.is_empty())
            .collect();
        let mut problems = Vec::new();
        let mut fresh = MemberInput::default();
        for (f, cell) in &given {
            if let Err(p) = set_field(&mut fresh, *f, cell) {
                problems.push(p);
            }
        }
        let has = |f: Field| given.iter().any(|(g, _)| *g == f);
        if !has(Field::Origin) {
            fresh.origin = crate::exchange::values::infer_origin(&fresh);
        }
        let mut out = ImportRow {
            row: row_no,
            action: ImportAction::Error,
            name: fresh.name.clone(),
            member_no: fresh.member_no.clone(),
            member_id: None,
            changes: Vec::new(),
            problems: Vec::new(),
            duplicate_of: None,
        };
        if !problems.is_empty() {
            // Report the rule breaches too, so the row is fixed in one pass.
            if let Err(more) = fresh.validate(self.stamp.today()) {
                let more: Vec<Problem> = more
                    .into_iter()
                    .filter(|p| !problems_has(&problems, p.field))
                    .collect();
                problems.extend(more);
            }
            out.problems = problems;
            return self.push(out);
        }
        let uscc = crate::uscc::parse(&fresh.uscc).ok();
        let name_key = crate::text::name_key(&fresh.name);
        let keys: Vec<String> = [
            uscc.as_ref().map(|c| format!("uscc:{c}")),
            (!name_key.is_empty()).then(|| format!("name:{name_key}")),
            (!fresh.member_no.trim().is_empty()).then(|| format!("no:{}", fresh.member_no.trim())),
        ]
        .into_iter()
        .flatten()
        .collect();
        if let Some(&(first, earlier)) = keys.iter().find_map(|k| self.seen.get(k)) {
            out.duplicate_of = Some(first);
            if self.taken[earlier] == fresh {
                out.action = ImportAction::Duplicate;
            } else {
                out.problems
                    .push(crate::exchange::import::duplicate_in_file(first));
            }
            return self.push(out);
        }
        let outcome = match find_existing(self.tx, uscc.as_deref(), &name_key)? {
            Some(id) => self.update(id, &given, &mut out),
            None => self.create(&fresh, &mut out),
        };
        match outcome {
            Ok(()) => {
                for k in keys {
                    self.seen.insert(k, (row_no, self.taken.len()));
                }
                self.taken.push(fresh);
            }
            Err(Error::Invalid(p)) => {
                out.action = ImportAction::Error;
                out.problems = p;
            }
            Err(Error::Refused { code, message }) => {
                out.action = ImportAction::Error;
                out.problems = vec![Problem {
                    field: Field::Name,
                    code: code.to_string(),
                    message,
                }];
            }
            Err(e) => return Err(e),
        }
        self.push(out)
    }

    fn create(&mut self, fresh: &MemberInput, out: &mut ImportRow) -> Result<()> {
        let m = create_in(self.tx, fresh, self.stamp)?;
        out.action = ImportAction::New;
        out.member_no = m.member_no;
        out.member_id = Some(m.id);
        Ok(())
    }

    /// An existing member takes the file's non-empty cells; an empty cell never erases what
    /// the registry holds.
    fn update(&mut self, id: i64, given: &[(Field, &Cell)], out: &mut ImportRow) -> Result<()> {
        let before = get_member(self.tx, id)?;
        let mut input = before.to_input();
        input.revision = None;
        for (f, cell) in given {
            // The same cells converted cleanly for the fresh input, so they do again here.
            let _ = set_field(&mut input, *f, cell);
        }
        let liaison_changed = input.liaison_name != before.liaison.name
            || input.liaison_title != before.liaison.title
            || input.liaison_phone != before.liaison.phone
            || input.liaison_email != before.liaison.email;
        if liaison_changed && !given.iter().any(|(f, _)| *f == Field::LiaisonSince) {
            // A new liaison starts today unless the file says when.
            input.liaison_since = String::new();
        }
        out.member_id = Some(id);
        out.member_no = before.member_no.clone();
        out.name = before.name.clone();
        let (after, changed) = update_in(self.tx, id, &input, self.stamp)?;
        if changed {
            out.action = ImportAction::Update;
            let old = before.audit_fields();
            out.changes = after
                .audit_fields()
                .into_iter()
                .zip(old)
                .filter(|((_, a), (_, b))| a != b)
                .map(|((f, _), _)| f)
                .collect();
            out.name = after.name;
            out.member_no = after.member_no;
        } else {
            out.action = ImportAction::Unchanged;
        }
        Ok(())
    }

    fn push(&mut self, row: ImportRow) -> Result<()> {
        let c = &mut self.counts;
        let n = match row.action {
            ImportAction::New => {
                c.new += 1;
                c.new
            }
            ImportAction::Update => {
                c.updated += 1;
                c.updated
            }
            ImportAction::Unchanged => {
                c.unchanged += 1;
                c.unchanged
            }
            ImportAction::Duplicate => {
                c.duplicates += 1;
                0
            }
            ImportAction::Error => {
                c.errors += 1;
                0
            }
        };
        if n as usize <= LISTED_PER_ACTION {
            self.rows.push(row);
        }
        Ok(())
    }
}

fn problems_has(problems: &[Problem], field: Field) -> bool {
    problems.iter().any(|p| p.field == field)
}

/// The registered member a row is about: the one with its credit code, else the one with
/// its normalised name (unless that one has a different code: then it is another unit).
/// A current member is preferred over one that left. Parameters are wrapped in `(SELECT ?)`
/// so that SQLite does not recompile the statement for every value (see `get_member`).
fn find_existing(tx: &Transaction, uscc: Option<&str>, name_key: &str) -> Result<Option<i64>> {
    if let Some(code) = uscc {
        let id = tx
            .prepare_cached(
                "SELECT id FROM member WHERE uscc = (SELECT ?1)
                 ORDER BY status = 'active' DESC, id DESC LIMIT 1",
            )?
            .query_row([code], |r| r.get(0))
            .optional()?;
        if id.is_some() {
            return Ok(id);
        }
    }
    if name_key.is_empty() {
        return Ok(None);
    }
    Ok(tx
        .prepare_cached(
            "SELECT id FROM member WHERE name_key = (SELECT ?1)
                AND (uscc IS NULL OR (SELECT ?2) IS NULL)
             ORDER BY status = 'active' DESC, id DESC LIMIT 1",
        )?
        .query_row(rusqlite::params![name_key, uscc], |r| r.get(0))
        .optional()?)
}
