//! The `command` receiver: argv (no shell), the notice as JSON on stdin, `MONTUI_NOTICE_ID`,
//! `MONTUI_RECEIVER` and `MONTUI_STATUS` in its environment; exit 0 within the timeout means
//! delivered, anything else is retried.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `argv` with `payload` on stdin: Ok when it exits 0 in time, else why not.
pub fn run(
    argv: &[String],
    timeout: Duration,
    payload: &str,
    env: &[(&str, &str)],
) -> Result<String, String> {
    let (prog, args) = argv.split_first().ok_or("no command")?;
    let mut child = Command::new(prog)
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{prog}: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A command that does not read its stdin is its own business.
        let _ = stdin.write_all(payload.as_bytes());
    }
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(st)) if st.success() => return Ok(format!("{prog} ended with {st}")),
            Ok(Some(st)) => {
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut e, &mut err);
                }
                let err = crate::text::one_line(err.trim())
                    .chars()
                    .take(200)
                    .collect::<String>();
                return Err(match err.is_empty() {
                    true => format!("{prog} ended with {st}"),
                    false => format!("{prog} ended with {st}: {err}"),
                });
            }
            Ok(None) if started.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{prog} did not end within {} s",
                    timeout.as_secs_f64()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("{prog}: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn exit_zero_delivers_and_anything_else_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("got");
        let script = format!("cat > '{}'; test \"$MONTUI_RECEIVER\" = ops", out.display());
        let env = [("MONTUI_RECEIVER", "ops")];
        let t = Duration::from_secs(10);
        assert_eq!(
            run(&argv(&["sh", "-c", &script]), t, "{\"a\":1}", &env),
            Ok("sh ended with exit status: 0".into())
        );
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "{\"a\":1}");
        let err = run(&argv(&["sh", "-c", "echo refused >&2; exit 3"]), t, "", &[]).unwrap_err();
        assert!(
            err.contains("exit status: 3") && err.contains("refused"),
            "{err}"
        );
        let slow = run(&argv(&["sleep", "5"]), Duration::from_millis(200), "", &[]);
        assert!(slow.unwrap_err().contains("did not end within"));
        assert!(run(&argv(&["/no/such/program"]), t, "", &[]).is_err());
    }
}
