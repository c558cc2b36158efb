//! `[[reports]]`: reports made on schedule while montui records (headless or not). Each
//! job's last whole period is made once it has ended and the job's time of day has come,
//! into `$XDG_DATA_HOME/montui/reports/`; a file already there is the record that it was
//! made, so one missed while montui was down is made at the next start. A job with
//! receivers queues the report in the outbox for them before the file is in place, so it
//! is sent whatever happens next (the mail reads the file when it goes).

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::sync::watch;

use super::{Ask, Format, Period, Span};
use crate::store::Store;

#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub name: String,
    pub period: Period,
    /// Minutes after midnight (local) of the day after the period when it is made.
    pub at_min: u32,
    pub hosts: Vec<String>,
    pub format: Format,
    /// Email receivers it is sent to.
    pub receivers: Vec<String>,
}

impl Job {
    /// The period to make at `now_ms`: the last whole one, once its day-after time has come.
    pub fn due(&self, now_ms: i64) -> Option<Span> {
        let span = self.period.span(None, now_ms).ok()?;
        let ready = span.to + i64::from(self.at_min) * 60_000;
        (now_ms >= ready).then_some(span)
    }

    /// Where the report of `span` goes: `<name>-<first day>.<ext>`.
    pub fn file(&self, dir: &Path, span: &Span) -> PathBuf {
        dir.join(format!(
            "{}-{}.{}",
            self.name,
            span.first_day,
            self.format.ext()
        ))
    }
}

/// Makes each job's due report not made yet, every minute until `stop`.
pub async fn run(jobs: Vec<Job>, db: PathBuf, dir: PathBuf, mut stop: watch::Receiver<bool>) {
    if jobs.is_empty() {
        return;
    }
    loop {
        let now = chrono::Utc::now().timestamp_millis();
        for job in &jobs {
            let Some(span) = job.due(now) else { continue };
            let file = job.file(&dir, &span);
            if file.exists() {
                continue;
            }
            let (job, db, at) = (job.clone(), db.clone(), file.clone());
            let made = tokio::task::spawn_blocking(move || make(&job, &db, span, &at)).await;
            match made {
                Ok(Ok(())) => tracing::info!("report made: {}", file.display()),
                Ok(Err(e)) => tracing::warn!("report {}: {e}", file.display()),
                Err(e) => tracing::warn!("report {}: {e}", file.display()),
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(60)) => {}
            _ = stop.changed() => return,
        }
    }
}

/// The report of `span` written to `file` (whole or not at all: a temporary file renamed).
pub fn make(job: &Job, db: &Path, span: Span, file: &Path) -> Result<(), String> {
    let store = Store::open_reader(db).map_err(|e| e.to_string())?;
    let ask = Ask {
        period: job.period,
        span,
        hosts: job.hosts.clone(),
    };
    let report = super::build(&store, &ask).map_err(|e| e.to_string())?;
    drop(store);
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let part = file.with_extension("part");
    std::fs::write(&part, job.format.render(&report))
        .map_err(|e| format!("{}: {e}", part.display()))?;
    if !job.receivers.is_empty() {
        let id = format!("report-{}-{}", job.name, span.first_day);
        let payload = serde_json::json!({
            "montuiNoticeId": id,
            "montuiReport": file.display().to_string(),
            "montuiTitle": report.title(),
        })
        .to_string();
        let items: Vec<(String, String)> = (job.receivers.iter())
            .map(|r| (r.clone(), payload.clone()))
            .collect();
        let now = chrono::Utc::now().timestamp_millis();
        let mut outbox = Store::open_outbox(db).map_err(|e| e.to_string())?;
        outbox
            .enqueue(&id, &items, now)
            .map_err(|e| e.to_string())?;
    }
    std::fs::rename(&part, file).map_err(|e| format!("{}: {e}", file.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_due_after_it_ends_at_the_jobs_time() {
        let job = Job {
            name: "daily".into(),
            period: Period::Day,
            at_min: 8 * 60,
            hosts: vec![],
            format: Format::Html,
            receivers: vec![],
        };
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let today = Period::Day.span(Some(day), 0).unwrap();
        // 07:00: yesterday's is not due yet; 08:00 it is.
        assert_eq!(job.due(today.from + 7 * 3_600_000), None);
        let due = job.due(today.from + 8 * 3_600_000).unwrap();
        assert_eq!(due.to, today.from);
        let f = job.file(Path::new("/r"), &due);
        assert_eq!(f, PathBuf::from("/r/daily-2026-11-30.html"));
    }
}
