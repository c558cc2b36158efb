//! System detail as `path:content` lines, the way `grep -s -H .` prints the files it reads:
//! the SSH sampler sends them so, and this machine's collector reads the same files into the
//! same lines, so one parser serves both. Files: /proc/pressure/{cpu,memory,io}, each CPU's
//! cpufreq `scaling_cur_freq` (kHz), and each hwmon chip's `name`, `temp*_input` (m°C),
//! `fan*_input` (rpm) and their `_label`s.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::gpu;
use crate::model::sys::{Sensor, SysRaw, psi_totals};

/// The files the sampler's grep reads (and `local_lines` reads here), as sh globs.
#[cfg(test)]
const FILES: &str = "/proc/pressure/cpu /proc/pressure/memory /proc/pressure/io /sys/devices/system/cpu/cpu[0-9]*/cpufreq/scaling_cur_freq /sys/class/hwmon/hwmon[0-9]*/name /sys/class/hwmon/hwmon[0-9]*/temp[0-9]*_input /sys/class/hwmon/hwmon[0-9]*/temp[0-9]*_label /sys/class/hwmon/hwmon[0-9]*/fan[0-9]*_input /sys/class/hwmon/hwmon[0-9]*/fan[0-9]*_label /sys/class/drm/card[0-9]*/device/gpu_busy_percent /sys/class/drm/card[0-9]*/device/mem_info_vram_used /sys/class/drm/card[0-9]*/device/mem_info_vram_total";

/// The most sensors kept (a host reporting thousands must not take the console with it).
const SENSORS_MAX: usize = 64;

/// A hwmon chip as its files tell it: its name, and each input's label and value.
type Chip<'a> = (String, BTreeMap<&'a str, (Option<String>, Option<f64>)>);

/// Pressure totals, MHz per CPU and sensors from the lines (the rest of `SysRaw` comes from
/// elsewhere: tasks from the processes, disk times from diskstats, inodes from statvfs or df).
pub fn parse(text: &str) -> SysRaw {
    let mut pressure: BTreeMap<&str, String> = BTreeMap::new();
    let mut mhz: BTreeMap<usize, f64> = BTreeMap::new();
    let mut chips: BTreeMap<&str, Chip> = BTreeMap::new();
    let mut gpus = gpu::Lines::default();
    for line in text.lines() {
        let Some((path, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if let Some(file) = path.strip_prefix("/proc/pressure/") {
            let all = pressure.entry(file).or_default();
            all.push_str(value);
            all.push('\n');
        } else if let Some(rest) = path.strip_prefix("/sys/devices/system/cpu/cpu") {
            let cpu = rest.split('/').next().and_then(|n| n.parse::<usize>().ok());
            if let (Some(cpu), Ok(khz)) = (cpu, value.parse::<f64>())
                && cpu < 4096
                && khz.is_finite()
            {
                mhz.insert(cpu, khz / 1000.0);
            }
        } else if gpus.take(path, value) {
        } else if let Some((chip, file)) = path.rsplit_once('/')
            && chip.starts_with("/sys/class/hwmon/")
        {
            let entry = chips.entry(chip).or_default();
            let text = crate::text::one_line(value).into_owned();
            if file == "name" {
                entry.0 = text;
            } else if let Some(input) = file.strip_suffix("_input") {
                entry.1.entry(input).or_default().1 = value.parse::<f64>().ok();
            } else if let Some(input) = file.strip_suffix("_label") {
                entry.1.entry(input).or_default().0 = Some(text);
            }
        }
    }
    let files: Vec<(&str, &str)> = pressure.iter().map(|(f, t)| (*f, t.as_str())).collect();
    let mut sensors = Vec::new();
    for (chip, (name, inputs)) in chips {
        let chip_name = if name.is_empty() {
            chip.rsplit('/').next().unwrap_or(chip)
        } else {
            &name
        };
        for (input, (label, value)) in inputs {
            let Some(v) = value.filter(|v| v.is_finite()) else {
                continue;
            };
            let fan = input.starts_with("fan");
            sensors.push(Sensor {
                name: format!("{chip_name} {}", label.as_deref().unwrap_or(input)),
                fan,
                value: if fan { v } else { v / 1000.0 },
            });
        }
    }
    let (gpus, gpu_temps) = gpus.finish();
    sensors.extend(gpu_temps);
    sensors.truncate(SENSORS_MAX);
    // CPUs without cpufreq leave gaps: frequencies are per CPU number or not at all.
    let mhz = if mhz.keys().copied().eq(0..mhz.len()) {
        mhz.into_values().collect()
    } else {
        Vec::new()
    };
    SysRaw {
        psi: psi_totals(&files),
        mhz,
        sensors,
        gpus,
        ..Default::default()
    }
}

/// The lines of `files`, as the sampler's grep prints them (a file that cannot be read is
/// left out).
pub fn read_lines(files: &[PathBuf]) -> String {
    let mut out = String::new();
    for path in files {
        if let Ok(text) = std::fs::read_to_string(path) {
            for l in text.lines().filter(|l| !l.is_empty()) {
                out.push_str(&format!("{}:{l}\n", path.display()));
            }
        }
    }
    out
}

/// This machine's files of those the sampler greps (listed once, not at every sample: CPUs
/// and sensors come and go seldom).
pub fn local_files() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = ["cpu", "memory", "io"]
        .iter()
        .map(|f| PathBuf::from(format!("/proc/pressure/{f}")))
        .collect();
    let mut add = |path: PathBuf| {
        if path.exists() {
            out.push(path);
        }
    };
    let entries = |dir: &str| -> Vec<std::path::PathBuf> {
        let mut all: Vec<_> = (std::fs::read_dir(dir).into_iter().flatten().flatten())
            .map(|e| e.path())
            .collect();
        all.sort();
        all
    };
    for cpu in entries("/sys/devices/system/cpu") {
        let is_cpu = (cpu.file_name().and_then(|n| n.to_str()))
            .and_then(|n| n.strip_prefix("cpu"))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if is_cpu {
            add(cpu.join("cpufreq/scaling_cur_freq"));
        }
    }
    for card in entries("/sys/class/drm") {
        for f in gpu::AMD_FILES {
            add(card.join("device").join(f));
        }
    }
    for chip in entries("/sys/class/hwmon") {
        add(chip.join("name"));
        for f in entries(&chip.to_string_lossy()) {
            let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let sensor = name.starts_with("temp") || name.starts_with("fan");
            if sensor && (name.ends_with("_input") || name.ends_with("_label")) {
                add(f);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pressure_frequencies_and_sensors_are_read_from_grep_lines() {
        let text = "\
/proc/pressure/cpu:some avg10=0.00 avg60=0.00 avg300=0.00 total=500
/proc/pressure/cpu:full avg10=0.00 avg60=0.00 avg300=0.00 total=0
/proc/pressure/memory:some avg10=0.00 avg60=0.00 avg300=0.00 total=7
/proc/pressure/memory:full avg10=0.00 avg60=0.00 avg300=0.00 total=6
/proc/pressure/io:some avg10=0.00 avg60=0.00 avg300=0.00 total=90
/proc/pressure/io:full avg10=0.00 avg60=0.00 avg300=0.00 total=80
/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq:2400000
/sys/devices/system/cpu/cpu1/cpufreq/scaling_cur_freq:1200000
/sys/class/hwmon/hwmon0/name:coretemp
/sys/class/hwmon/hwmon0/temp1_input:54000
/sys/class/hwmon/hwmon0/temp1_label:Package id 0
/sys/class/hwmon/hwmon1/name:thinkpad
/sys/class/hwmon/hwmon1/fan1_input:2100
/sys/class/hwmon/hwmon1/temp2_input:garbage
";
        let SysRaw {
            psi, mhz, sensors, ..
        } = parse(text);
        assert_eq!(psi, Some([500, 7, 6, 90, 80]));
        assert_eq!(mhz, [2400.0, 1200.0]);
        let seen: Vec<(&str, bool, f64)> = (sensors.iter())
            .map(|s| (s.name.as_str(), s.fan, s.value))
            .collect();
        assert_eq!(
            seen,
            [
                ("coretemp Package id 0", false, 54.0),
                ("thinkpad fan1", true, 2100.0)
            ]
        );
    }

    #[test]
    fn nothing_known_or_garbage_gives_nothing_and_never_panics() {
        assert_eq!(parse(""), SysRaw::default());
        let junk = "::\n/proc/pressure/:x\n/sys/devices/system/cpu/cpuX/cpufreq/scaling_cur_freq:1\n\u{1b}[2J:\n/sys/class/hwmon/a/temp1_input:1e400\n";
        assert_eq!(parse(junk), SysRaw::default());
    }

    #[test]
    fn the_sampler_greps_these_files() {
        let sampler = include_str!("ssh/sampler.sh");
        assert!(sampler.contains(&format!("grep -s -H . {FILES} 2>/dev/null")));
    }

    #[test]
    fn this_machine_reads_as_the_sampler_sends() {
        // Whatever this machine has, its lines parse (PSI is there on any recent kernel).
        let SysRaw {
            psi, mhz, sensors, ..
        } = parse(&read_lines(&local_files()));
        if std::path::Path::new("/proc/pressure/cpu").exists() {
            assert!(psi.is_some());
        }
        let grep = std::process::Command::new("sh")
            .args(["-c", &format!("grep -s -H . {FILES}")])
            .output()
            .expect("sh");
        let g = parse(&String::from_utf8_lossy(&grep.stdout));
        let (g_mhz, g_sensors) = (g.mhz, g.sensors);
        let names = |s: &[Sensor]| s.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
        assert_eq!(
            (mhz.len(), names(&sensors)),
            (g_mhz.len(), names(&g_sensors))
        );
    }
}
