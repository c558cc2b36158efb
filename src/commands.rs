//! The binary's one-shot commands: `notify test`, `export` and `report`, each reading the
//! config or the history file, writing to stdout (or a file) and ending.

use anyhow::bail;
use montui::cli::{ExportArgs, ExportFormat, ReportArgs, ReportFormat, ReportPeriod};
use montui::export;
use montui::store::Store;
use montui::timeparse::parse_time;

/// `montui notify test`: each receiver's answer to a test notice; an error if any refused.
pub fn notify_test(
    receivers: &[montui::notify::Receiver],
    only: Option<&str>,
) -> anyhow::Result<()> {
    use montui::store::Outcome;
    let answers = montui::notify::test(receivers, only).map_err(anyhow::Error::msg)?;
    let mut refused = 0;
    for (name, outcome, answer) in answers {
        match outcome {
            Outcome::Delivered => println!("{name}: delivered: {}", answer.unwrap_or_default()),
            Outcome::Retry { error, .. } => {
                refused += 1;
                println!("{name}: not delivered (it would be retried): {error}");
            }
            Outcome::Dead { error } => {
                refused += 1;
                println!("{name}: refused for good (it would not be retried): {error}");
            }
        }
    }
    if refused > 0 {
        bail!("{refused} receiver(s) did not take the test notice");
    }
    Ok(())
}

pub fn export(args: &ExportArgs, db: &std::path::Path) -> anyhow::Result<()> {
    let now = chrono::Utc::now().timestamp_millis();
    let when = |s: &str, flag: &str| parse_time(s, now).map_err(|e| anyhow::anyhow!("{flag}: {e}"));
    let (from, to) = (when(&args.from, "--from")?, when(&args.to, "--to")?);
    if from > to {
        bail!(
            "--from {} is after --to {}: nothing to export",
            args.from,
            args.to
        );
    }
    if let Some(why) = args
        .metric
        .as_deref()
        .and_then(montui::model::unknown_metric)
    {
        bail!("--metric {why}");
    }
    let query = export::Query {
        from,
        to,
        host: args.host.clone(),
        metric: args.metric.clone(),
        skip_corrupt: args.skip_corrupt,
    };
    let format = match args.format {
        ExportFormat::Csv => export::Format::Csv,
        ExportFormat::Json => export::Format::Json,
        ExportFormat::Openmetrics => export::Format::OpenMetrics,
    };
    let store = Store::open_reader(db)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = export::export(&store, &query, format, &mut out).and_then(|n| {
        std::io::Write::flush(&mut out)?;
        Ok(n)
    });
    match written {
        Ok(_) => {
            for what in store.skipped() {
                eprintln!("montui: left out {what}");
            }
            Ok(())
        }
        // `montui export | head` is not an error.
        Err(export::ExportError::Write(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(e.into()),
    }
}

pub fn report(args: &ReportArgs, db: &std::path::Path) -> anyhow::Result<()> {
    use montui::report::{self, Period};
    let period = match args.period {
        ReportPeriod::Day => Period::Day,
        ReportPeriod::Week => Period::Week,
        ReportPeriod::Month => Period::Month,
    };
    let at = (args.at.as_deref())
        .map(|d| {
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| anyhow::anyhow!("--at `{d}` is not a date: write it as 2026-11-30"))
        })
        .transpose()?;
    let now = chrono::Utc::now().timestamp_millis();
    let span = period.span(at, now).map_err(anyhow::Error::msg)?;
    let store = Store::open_reader(db)?;
    let recorded = store.hosts()?;
    if let Some(h) = args.hosts.iter().find(|h| !recorded.contains(h)) {
        let some = recorded
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        let more = match recorded.len().saturating_sub(10) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        bail!(
            "--host {h}: not recorded in {} (recorded: {some}{more})",
            db.display()
        );
    }
    let ask = report::Ask {
        period,
        span,
        hosts: args.hosts.clone(),
    };
    let r = report::build(&store, &ask)?;
    let text = match args.format {
        ReportFormat::Md => report::Format::Md,
        ReportFormat::Html => report::Format::Html,
        ReportFormat::Json => report::Format::Json,
    }
    .render(&r);
    match &args.out {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?,
        // `montui report | head` is not an error.
        None => match std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e.into()),
            _ => {}
        },
    }
    Ok(())
}
