use super::*;
use crate::model::sys::Sensor;

#[test]
fn ssh_is_told_batch_mode_and_nothing_after_the_destination_is_an_option() {
    let t = Target::parse("admin@db1:2222", None).unwrap();
    let o = SshOptions {
        config_file: Some("/tmp/cfg".into()),
        ..Default::default()
    };
    let a = ssh_args(&t, &o);
    let dd = a.iter().position(|x| x == "--").unwrap();
    assert_eq!(a[dd + 1], "admin@db1");
    assert_eq!(a[dd + 2], "sh -s 25");
    assert!(a[..dd].windows(2).any(|w| w == ["-o", "BatchMode=yes"]));
    assert!(a[..dd].windows(2).any(|w| w == ["-p", "2222"]));
    assert!(a[..dd].windows(2).any(|w| w == ["-F", "/tmp/cfg"]));
    assert!(!a.iter().any(|x| x.contains("StrictHostKeyChecking")));
}

#[test]
fn backoff_doubles_to_a_minute_with_jitter() {
    for seed in [1, 77, 123_456_789] {
        let ms = |n| backoff(n, seed).as_millis() as f64;
        assert!((800.0..=1200.0).contains(&ms(1)), "{}", ms(1));
        assert!((1600.0..=2400.0).contains(&ms(2)));
        assert!((48_000.0..=72_000.0).contains(&ms(30)));
    }
    assert_ne!(backoff(3, 1), backoff(3, 2), "hosts do not retry in step");
}

#[test]
fn sample_times_follow_the_hosts_uptime_and_restart_on_reboot() {
    let mut c = Clock::default();
    assert_eq!(c.stamp(10_000, 1_000_000), Some(1_000_000));
    // Arrived 300 ms late: the time still says one second after the last.
    assert_eq!(c.stamp(11_000, 1_001_300), Some(1_001_000));
    // Rebooted: uptime went back; times go on from now, never backwards.
    assert_eq!(c.stamp(500, 1_002_000), Some(1_002_000));
    assert_eq!(c.stamp(1_500, 1_003_100), Some(1_003_000));
}

#[test]
fn a_flood_of_frames_is_never_stamped_ahead_of_the_console() {
    let mut c = Clock::default();
    let now = 1_000_000;
    // 10,000 frames within one millisecond, uptimes running ahead as a hostile host's would.
    let stamped: Vec<i64> = (0..10_000)
        .filter_map(|i| c.stamp(5_000 + i * 1_000, now))
        .collect();
    assert_eq!(stamped, [now], "one time for one moment: {}", stamped.len());
    assert!(c.stamp(900_000, now + 1).is_some_and(|t| t <= now + 1));
}

#[test]
fn reasons_say_what_to_do() {
    let r = explain(
        "x\nHost key verification failed.\n",
        "Host key verification failed.".into(),
    );
    assert!(r.contains("accept the key"), "{r}");
    let r = explain("", "root@h: Permission denied (publickey).".into());
    assert!(r.contains("ssh-agent"), "{r}");
    let r = explain("", "bad\u{1b}[2Jthing".into());
    assert!(
        !r.contains('\u{1b}'),
        "control characters never reach the screen: {r:?}"
    );
}

/// `n` frames of the sampler run here in plain sh, each asked `gap` after the one before.
async fn sampler_frames(n: usize, gap: Duration) -> Vec<super::super::frame::Frame> {
    sampler_frames_in(n, gap, None, &Pins::default(), 5).await
}

/// As `sampler_frames`, with `bin` first on the PATH, asking to keep `pins`, `top` processes
/// of each kind.
async fn sampler_frames_in(
    n: usize,
    gap: Duration,
    bin: Option<&std::path::Path>,
    pins: &Pins,
    top: usize,
) -> Vec<super::super::frame::Frame> {
    let mut command = Command::new("sh");
    if let Some(bin) = bin {
        let path = std::env::var("PATH").unwrap_or_default();
        command.env("PATH", format!("{}:{path}", bin.display()));
    }
    let mut child = command
        .args(["-s", &top.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(SAMPLER.as_bytes()).await.unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stream = Frames::default();
    let mut frames = Vec::new();
    while frames.len() < n {
        let read = tokio::time::timeout(Duration::from_secs(30), stdout.read_buf(stream.buffer()))
            .await
            .expect("a frame within 30 s")
            .unwrap();
        assert!(read > 0, "the sampler keeps running");
        while let Some(f) = stream.next_frame() {
            frames.push(f.unwrap_or_else(|e| panic!("{e}")));
            // One frame at once, then one per line asked.
            tokio::time::sleep(gap).await;
            stdin.write_all(ask(pins).as_bytes()).await.unwrap();
        }
    }
    drop(stdin);
    let end = tokio::time::timeout(Duration::from_secs(5), child.wait()).await;
    assert!(
        end.is_ok_and(|r| r.is_ok_and(|s| s.success())),
        "the sampler ends when montui's side closes"
    );
    frames
}

#[tokio::test]
async fn the_sampler_runs_in_plain_sh_answers_each_ask_and_its_frames_parse() {
    let frames = sampler_frames(2, Duration::ZERO).await;
    let (a, b) = (&frames[0], &frames[1]);
    // /proc/uptime counts in 10 ms steps: two frames read at once may share one.
    assert!(b.uptime_ms >= a.uptime_ms);
    assert!(!b.sample.cpus.is_empty() && b.sample.mem.total > 0);
    assert!(!b.sample.procs.is_empty() && b.sample.procs.len() <= 10);
    assert!(
        a.accounted_ticks
            .is_some_and(|t| Some(t) <= b.accounted_ticks)
    );
    // System detail as this machine's collector reads it.
    let y = &b.sample.sys;
    assert!(
        y.tasks.processes > 0 && y.tasks.threads >= y.tasks.processes,
        "{y:?}"
    );
    assert_eq!(y.disks.len(), b.sample.disks.len());
    assert!(
        y.inodes
            .iter()
            .all(|i| b.sample.fs.iter().any(|f| f.mount == i.mount))
    );
    if std::path::Path::new("/proc/pressure/cpu").exists() {
        assert!(y.psi.is_some(), "{y:?}");
    }
    let mut here = crate::collect::local::LocalCollector::new(5).expect("collector");
    let local = crate::collect::Collector::collect(&mut here).expect("sample");
    assert_eq!(local.sys.mhz.len(), y.mhz.len());
    let names = |s: &[Sensor]| s.iter().map(|x| x.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&local.sys.sensors), names(&y.sensors));
    assert_eq!(local.sys.inodes.is_empty(), y.inodes.is_empty());
}

#[tokio::test]
async fn the_sampler_sums_every_process_so_short_lived_ones_show_as_exited() {
    // Busy children of a few ms, one after another, while the sampler looks twice.
    let mut churn = Command::new("sh")
        .args([
            "-c",
            "while :; do sh -c 'i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done'; done",
        ])
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let frames = sampler_frames(2, Duration::from_secs(1)).await;
    let _ = churn.kill().await;
    let mut top = crate::collect::top::TopProcs::new(5);
    let exited: Vec<u64> = (frames.into_iter())
        .map(|f| {
            let ms = |t| crate::collect::top::ticks_ms(t, f.sample.ticks_per_sec);
            let busy = ms(f.sample.cpu_total.busy());
            top.select(f.sample.procs, Vec::new(), busy, f.accounted_ticks.map(ms))[0].cpu_ms
        })
        .collect();
    // About half a core of the second the churn ran; most of it never listed.
    assert!(exited[1] >= 100, "exited {exited:?} ms");
}

/// An `ssh` that prints `output` (a shell command) and never runs the sampler.
/// A process that uses nothing is not among the top ones; asked for, it is sent.
#[tokio::test]
async fn the_sampler_keeps_the_processes_it_is_asked_for() {
    let mut child = std::process::Command::new("sleep")
        .arg("60")
        .spawn()
        .unwrap();
    let pid = child.id();
    // Asleep, done starting (a start still loading could be a busy process for a frame).
    let stat = loop {
        let stat = std::fs::read(format!("/proc/{pid}/stat")).unwrap();
        let p = crate::collect::procfs::proc_stat(&stat, 100, 4096)
            .unwrap()
            .0;
        if p.state == 'S' {
            break p;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let start = stat.start;
    let has = |f: &super::super::frame::Frame| f.sample.procs.iter().any(|p| p.pid == pid);
    // The first frame is sent before any ask; the next after one naming the sleep.
    let pins = Pins::default();
    // One of each kind: on a machine running few processes a sleep could be among the top five
    // by memory.
    let plain = sampler_frames_in(2, Duration::from_secs(1), None, &pins, 1).await;
    assert!(!plain.iter().any(has), "a sleep is no top process");
    pins.lock().unwrap().insert((pid, start));
    let asked = sampler_frames_in(2, Duration::ZERO, None, &pins, 1).await;
    assert!(has(&asked[1]), "kept when asked for");
    let _ = child.kill();
    let _ = child.wait();
}

/// This machine has no NVIDIA driver: a stand-in `nvidia-smi` answers the sampler's query as
/// the driver's does (the query itself is checked against `gpu::NVIDIA_SMI`).
#[tokio::test]
async fn the_sampler_sends_nvidia_gpus_where_nvidia_smi_is_installed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let smi = dir.path().join("nvidia-smi");
    std::fs::write(
        &smi,
        "#!/bin/sh\ncase \"$*\" in *--query-gpu=*) echo '0, Tesla T4, 42, 2048, 15360, 51';; esac\n",
    )
    .unwrap();
    std::fs::set_permissions(&smi, std::fs::Permissions::from_mode(0o755)).unwrap();
    let frames = sampler_frames_in(1, Duration::ZERO, Some(dir.path()), &Pins::default(), 5).await;
    let y = &frames[0].sample.sys;
    let gpu = y
        .gpus
        .iter()
        .find(|g| g.name == "0 Tesla T4")
        .expect("the GPU");
    assert_eq!(
        (gpu.busy, gpu.mem_used, gpu.mem_total),
        (Some(42.0), 2048 << 20, 15360 << 20)
    );
    assert!(
        y.sensors
            .iter()
            .any(|s| s.name == "gpu 0 Tesla T4" && s.value == 51.0)
    );
}

fn fake_ssh(dir: &std::path::Path, output: &str) -> SshOptions {
    let frame = dir.join("frame.txt");
    std::fs::write(&frame, include_str!("../frame/sample.txt")).unwrap();
    let bin = dir.join("ssh");
    let script = format!(
        "#!/bin/sh\ncat >/dev/null &\nFRAME='{}'\n{output}\n",
        frame.display()
    );
    std::fs::write(&bin, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    SshOptions {
        binary: bin,
        ..Default::default()
    }
}

/// The reason the first connection to a host running `output` ended.
async fn ended_with(output: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let o = fake_ssh(dir.path(), output);
    let t = Target::parse("hostile", None).unwrap();
    let (tx, mut rx) = mpsc::channel(1024);
    let (_stop_tx, stop) = watch::channel(false);
    let slots = Arc::new(Semaphore::new(1));
    let poll = Poll {
        every: Duration::from_secs(1),
        pins: Default::default(),
    };
    let task = tokio::spawn(run(t, poll, o, slots, tx, None, stop));
    let reason = tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            match rx.recv().await {
                Some(SourceMsg::Failed { reason, .. }) => return reason,
                Some(_) => {}
                None => return "no reason".to_string(),
            }
        }
    })
    .await
    .unwrap_or_else(|_| "still connecting".into());
    task.abort();
    reason
}

#[tokio::test]
async fn a_host_flooding_frames_nobody_asked_for_is_refused_with_the_reason() {
    let reason = ended_with("while :; do cat \"$FRAME\"; done").await;
    assert!(
        reason.starts_with("refused:") && reason.contains("nobody asked for"),
        "{reason}"
    );
}

#[tokio::test]
async fn a_frame_over_the_size_cap_is_refused_with_the_reason() {
    let reason = ended_with("head -c 5000000 /dev/zero | tr '\\0' x; sleep 60").await;
    assert!(
        reason.starts_with("refused:") && reason.contains("4 MiB"),
        "{reason}"
    );
}
