//! `cceaa export`, `import`, `backup`, `restore` and `archive`: moving the registry's data in
//! and out, for office IT's scripts. Import prints the same report the app previews.

use std::path::PathBuf;

use cceaa_core::exchange::export::{CsvEncoding, ExportRequest};
use cceaa_core::exchange::import::{ImportAction, ImportOptions, ImportReport};
use cceaa_core::{db, Error, Field, Lang, Registry, Stamp, Text};

use crate::show::Filters;

#[derive(clap::Args)]
pub struct ExportArgs {
    /// The file to write: .xlsx (Excel) or .csv.
    pub file: PathBuf,
    /// The public roster: no personal contact data.
    #[arg(long)]
    pub public: bool,
    /// The columns, comma-separated field keys (member_no,name,uscc,...); default: all, or
    /// the public set with --public.
    #[arg(long, value_delimiter = ',')]
    pub columns: Vec<String>,
    /// CSV encoding: utf8 (with a byte-order mark, the default) or gb18030.
    #[arg(long, default_value = "utf8")]
    pub encoding: String,
    #[command(flatten)]
    pub filters: Filters,
}

/// Exports the members the filters take; prints how many.
pub fn export(registry: &Registry, args: &ExportArgs, lang: Lang) -> Result<(), Error> {
    let columns = args
        .columns
        .iter()
        .map(|key| {
            serde_json::from_value::<Field>(serde_json::Value::String(key.trim().to_string()))
                .map_err(|_| {
                    Error::refused(
                        cceaa_core::error::ErrorCode::ExportColumnUnknown,
                        format!("“{key}”不是列名；可用：{}", column_keys()),
                        format!("'{key}' is not a column; use: {}", column_keys()),
                    )
                })
        })
        .collect::<Result<Vec<Field>, Error>>()?;
    let encoding = match args.encoding.to_ascii_lowercase().as_str() {
        "utf8" | "utf-8" => CsvEncoding::Utf8,
        "gb18030" | "gbk" => CsvEncoding::Gb18030,
        other => {
            return Err(Error::refused(
                cceaa_core::error::ErrorCode::ExportEncoding,
                format!("不支持的编码“{other}”，请用 utf8 或 gb18030。"),
                format!("Unknown encoding '{other}'; use utf8 or gb18030."),
            ))
        }
    };
    let request = ExportRequest {
        query: args.filters.query()?,
        public: args.public,
        columns,
        encoding,
    };
    let s = registry.export_members(&request, &args.file)?;
    let t = Text::new(
        format!("已导出 {} 个成员到 {}", s.members, s.path),
        format!("Exported {} members to {}", s.members, s.path),
    );
    println!("{}", t.get(lang));
    Ok(())
}

fn column_keys() -> String {
    cceaa_core::exchange::MEMBER_FIELDS
        .iter()
        .filter_map(|f| serde_json::to_value(f).ok())
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect::<Vec<_>>()
        .join(",")
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// The spreadsheet: .xlsx, .xls, .ods or .csv (UTF-8 or GB18030).
    pub file: PathBuf,
    /// Check and report only; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Write the valid rows and skip the rows in error (default: with any row in error,
    /// nothing is written).
    #[arg(long)]
    pub skip_invalid: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// The worksheet to read (default: the first with data).
    #[arg(long)]
    pub sheet: Option<String>,
    /// The header row's number (default: found under any title rows).
    #[arg(long, value_name = "N")]
    pub header_row: Option<u32>,
}

/// Imports a spreadsheet (or with `--dry-run` checks it). Exit status: 0 when the file is
/// clean (or its rows in error are skipped with `--skip-invalid`); 1 when rows are in error
/// and nothing was (or, in a dry run, would be) written, or the file is refused; 2 for a
/// usage error (clap's own).
pub fn import(registry: &mut Registry, args: &ImportArgs, lang: Lang) -> Result<(), Error> {
    let options = ImportOptions {
        sheet: args.sheet.clone().unwrap_or_default(),
        header_row: args.header_row,
        mapping: None,
        skip_invalid: args.skip_invalid,
    };
    let report = registry.import(&args.file, &options, &Stamp::now(), args.dry_run)?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(|e| Error::Storage(e.to_string()))?
        );
    } else {
        print_report(&report, lang);
    }
    match &report.refused {
        Some(why) => Err(Error::Refused {
            code: cceaa_core::error::ErrorCode::ImportRowsInError,
            message: why.clone(),
        }),
        // A dry run says what the import would do: refuse, when rows are in error.
        None if args.dry_run && !args.skip_invalid && report.counts.errors > 0 => {
            let n = report.counts.errors;
            Err(Error::refused(
                cceaa_core::error::ErrorCode::ImportRowsInError,
                format!("预览：{n} 行存在错误，导入时将不写入任何数据。请改正这些行，或加上 --skip-invalid 跳过它们。"),
                format!("Preview: {n} rows are in error, so the import would write nothing. Correct them, or add --skip-invalid to skip them."),
            ))
        }
        None => Ok(()),
    }
}

fn print_report(r: &ImportReport, lang: Lang) {
    let zh = lang == Lang::Zh;
    let c = &r.counts;
    let sheet = if r.sheet.is_empty() {
        String::new()
    } else {
        format!(" [{}]", r.sheet)
    };
    if zh {
        println!(
            "{}{sheet}（{}），表头在第 {} 行",
            r.file, r.format, r.header_row
        );
        println!(
            "共 {} 行：新增 {}，更新 {}，无变化 {}，文件内重复 {}，错误 {}",
            c.rows, c.new, c.updated, c.unchanged, c.duplicates, c.errors
        );
    } else {
        println!(
            "{}{sheet} ({}), header on row {}",
            r.file, r.format, r.header_row
        );
        println!(
            "{} rows: {} new, {} updated, {} unchanged, {} duplicates in the file, {} in error",
            c.rows, c.new, c.updated, c.unchanged, c.duplicates, c.errors
        );
    }
    let columns: Vec<String> = r
        .headers
        .iter()
        .zip(&r.mapping)
        .filter_map(|(h, f)| f.map(|f| format!("{h}→{}", f.label().get(lang))))
        .collect();
    println!("{}", columns.join(if zh { "，" } else { ", " }));
    for row in &r.rows {
        let what = match row.action {
            ImportAction::New => Text::new("新增", "new"),
            ImportAction::Update => Text::new("更新", "update"),
            ImportAction::Unchanged => continue,
            ImportAction::Duplicate => Text::new("重复", "duplicate"),
            ImportAction::Error => Text::new("错误", "error"),
        };
        let label = if zh {
            format!("第 {} 行", row.row)
        } else {
            format!("row {}", row.row)
        };
        let mut line = format!(
            "{label}\t{}\t{}\t{}",
            what.get(lang),
            row.member_no,
            row.name
        );
        if !row.changes.is_empty() {
            let f: Vec<String> = row
                .changes
                .iter()
                .map(|f| f.label().get(lang).to_string())
                .collect();
            line.push_str(&format!("\t{}", f.join(",")));
        }
        if let Some(first) = row.duplicate_of {
            line.push_str(&if zh {
                format!("\t同第 {first} 行")
            } else {
                format!("\tsame as row {first}")
            });
        }
        println!("{line}");
        for p in &row.problems {
            let sep = if zh { "：" } else { ": " };
            println!(
                "    {}{sep}{}",
                p.field.label().get(lang),
                p.message.get(lang)
            );
        }
    }
    let listed = r
        .rows
        .iter()
        .filter(|x| x.action != ImportAction::Unchanged)
        .count() as u32;
    let total = c.new + c.updated + c.duplicates + c.errors;
    if listed < total {
        println!(
            "{}",
            Text::new(
                format!("（另有 {} 行未逐行列出）", total - listed),
                format!("({} more rows not listed one by one)", total - listed)
            )
            .get(lang)
        );
    }
    let outcome = if r.written {
        Text::new("已写入登记簿。", "Written to the registry.")
    } else if r.refused.is_some() {
        Text::new("未写入任何数据。", "Nothing was written.")
    } else if c.new + c.updated == 0 {
        Text::new("没有需要写入的内容。", "Nothing to write.")
    } else {
        Text::new(
            "预览：未写入任何数据（去掉 --dry-run 即可导入）。",
            "Preview: nothing written (run without --dry-run to import).",
        )
    };
    println!("{}", outcome.get(lang));
}

#[derive(clap::Args)]
pub struct BackupArgs {
    /// The backup file to write (.zip; default: a new automatic backup in the data folder's
    /// backups/, pruned by age and copied to the second destination).
    pub file: Option<PathBuf>,
    /// Set the second backup destination (a USB drive or a share) and back up there too.
    #[arg(long, value_name = "FOLDER", conflicts_with = "no_second")]
    pub second: Option<PathBuf>,
    /// Stop copying backups to a second destination.
    #[arg(long)]
    pub no_second: bool,
}

pub fn backup(registry: &mut Registry, args: &BackupArgs, lang: Lang) -> Result<(), Error> {
    if let Some(folder) = &args.second {
        registry.set_second_backup_dir(Some(folder))?;
    } else if args.no_second {
        registry.set_second_backup_dir(None)?;
    }
    let (file, copied_to, problem) = match &args.file {
        Some(f) => (registry.backup_to(f)?, None, None),
        None => {
            let dir = registry.backups_dir()?;
            let db = dir
                .parent()
                .map(|d| d.join(cceaa_core::paths::DATABASE_FILE))
                .ok_or_else(|| Error::Storage("no data folder".into()))?;
            let done = db::automatic_backup(&db)?;
            (done.file, done.copied_to, done.second_problem)
        }
    };
    println!(
        "{}",
        Text::new(
            format!(
                "已备份到 {}（{} 字节，含数据库、证书密钥、印章图片和全部附件，已通过完整性检查）",
                file.path, file.bytes
            ),
            format!(
                "Backed up to {} ({} bytes: the database, certificate key, seal images and every attachment; integrity checked)",
                file.path, file.bytes
            ),
        )
        .get(lang)
    );
    if let Some(p) = copied_to {
        println!(
            "{}",
            Text::new(
                format!("已复制到第二备份位置：{p}"),
                format!("Copied to the second destination: {p}")
            )
            .get(lang)
        );
    }
    if let Some(problem) = problem {
        // The backup is made; the missing copy is said, and the exit code tells a script.
        return Err(Error::refused(
            cceaa_core::error::ErrorCode::SecondDirMissing,
            problem.zh,
            problem.en,
        ));
    }
    Ok(())
}

#[derive(clap::Args)]
pub struct RestoreArgs {
    /// The backup file to restore.
    pub file: PathBuf,
    /// Confirm that the registry is to be replaced (a safety copy is taken first).
    #[arg(long)]
    pub yes: bool,
}

pub fn restore(registry: &mut Registry, args: &RestoreArgs, lang: Lang) -> Result<(), Error> {
    if !args.yes {
        db::check_backup(&args.file)?;
        return Err(Error::refused(
            cceaa_core::error::ErrorCode::RestoreUnconfirmed,
            "恢复会用备份替换当前登记簿的全部数据（会先自动保存一份安全副本）。确认无误后，请加上 --yes 再运行。",
            "Restoring replaces all of the registry's data with the backup (a safety copy is taken first). Run again with --yes to confirm.",
        ));
    }
    let safety = registry.restore_from(&args.file, &Stamp::now())?;
    println!(
        "{}",
        Text::new(
            format!(
                "已从 {} 恢复。恢复前的登记簿已保存为 {}",
                args.file.display(),
                safety.path
            ),
            format!(
                "Restored from {}. The registry as it was is kept as {}",
                args.file.display(),
                safety.path
            ),
        )
        .get(lang)
    );
    Ok(())
}

#[derive(clap::Args)]
pub struct ArchiveArgs {
    /// The ZIP file to write.
    pub file: PathBuf,
}

pub fn archive(registry: &Registry, args: &ArchiveArgs, lang: Lang) -> Result<(), Error> {
    let s = registry.export_archive(&args.file)?;
    println!(
        "{}",
        Text::new(
            format!(
                "已写入完整归档 {}：数据库、{} 张表（JSON）、{} 个附件",
                s.path, s.tables, s.attachments
            ),
            format!(
                "Wrote the full archive {}: the database, {} tables as JSON, {} attachments",
                s.path, s.tables, s.attachments
            ),
        )
        .get(lang)
    );
    Ok(())
}
