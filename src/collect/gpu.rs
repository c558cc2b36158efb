//! GPUs: NVIDIA's through NVML on this machine (the library is loaded when montui starts;
//! without it there is nothing to show), and for SSH hosts the lines the sampler sends:
//! `nvidia-smi` CSV where that command exists, and AMD's sysfs files (`gpu_busy_percent`,
//! `mem_info_vram_used`, `mem_info_vram_total`), which this machine reads too. A GPU's
//! temperature joins the sensors.

use std::collections::BTreeMap;

use crate::model::sys::{Gpu, Sensor};

/// The most GPUs kept per host.
const GPUS_MAX: usize = 16;

/// AMD's files, as sh globs (the sampler's grep, and `local_files`).
pub const AMD_FILES: [&str; 3] = [
    "gpu_busy_percent",
    "mem_info_vram_used",
    "mem_info_vram_total",
];

/// The query the sampler runs: each line is `index, name, busy %, MiB used, MiB in all, °C`.
#[cfg(test)]
const NVIDIA_SMI: &str = "nvidia-smi --query-gpu=index,name,utilization.gpu,memory.used,memory.total,temperature.gpu --format=csv,noheader,nounits";

/// GPUs read from `path:value` lines.
#[derive(Default)]
pub struct Lines {
    gpus: BTreeMap<String, Gpu>,
    sensors: Vec<Sensor>,
}

impl Lines {
    /// Takes a line when it is a GPU's: false when it is not.
    pub fn take(&mut self, path: &str, value: &str) -> bool {
        if path == "nvidia-smi" {
            self.nvidia_smi(value);
            return true;
        }
        let Some(rest) = path.strip_prefix("/sys/class/drm/") else {
            return false;
        };
        let mut parts = rest.split('/');
        let (Some(card), Some("device"), Some(file), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return true;
        };
        let is_card = card
            .strip_prefix("card")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        let Some(v) = value.trim().parse::<u64>().ok().filter(|_| is_card) else {
            return true;
        };
        let Some(gpu) = self.gpu(card) else {
            return true;
        };
        match file {
            "gpu_busy_percent" => gpu.busy = Some(v.min(100) as f64),
            "mem_info_vram_used" => gpu.mem_used = v,
            "mem_info_vram_total" => gpu.mem_total = v,
            _ => {}
        }
        true
    }

    fn gpu(&mut self, name: &str) -> Option<&mut Gpu> {
        if !self.gpus.contains_key(name) && self.gpus.len() >= GPUS_MAX {
            return None;
        }
        let gpu = self.gpus.entry(name.to_string()).or_default();
        gpu.name = name.to_string();
        Some(gpu)
    }

    /// `0, NVIDIA A100-SXM4-40GB, 35, 1024, 40960, 45`; `[N/A]` where the card does not say.
    fn nvidia_smi(&mut self, line: &str) {
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        let [index, model, busy, used, total, temp] = f[..] else {
            return;
        };
        if index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) {
            return;
        }
        let name = crate::text::one_line(&format!("{index} {model}")).into_owned();
        let mib = |s: &str| s.parse::<u64>().ok().map(|m| m.saturating_mul(1 << 20));
        let busy = busy.parse::<f64>().ok().filter(|b| b.is_finite());
        let (used, total) = (mib(used), mib(total));
        let temp = temp.parse::<f64>().ok().filter(|t| t.is_finite());
        self.put(name, busy.map(|b| b.clamp(0.0, 100.0)), used, total, temp);
    }

    fn put(
        &mut self,
        name: String,
        busy: Option<f64>,
        used: Option<u64>,
        total: Option<u64>,
        temp: Option<f64>,
    ) {
        if let Some(t) = temp {
            self.sensors.push(Sensor {
                name: format!("gpu {name}"),
                fan: false,
                value: t,
            });
        }
        if let Some(gpu) = self.gpu(&name) {
            gpu.busy = busy;
            gpu.mem_used = used.unwrap_or(0);
            gpu.mem_total = total.unwrap_or(0);
        }
    }

    /// The GPUs read, and their temperatures as sensors.
    pub fn finish(self) -> (Vec<Gpu>, Vec<Sensor>) {
        (self.gpus.into_values().collect(), self.sensors)
    }
}

/// NVIDIA's GPUs on this machine, through NVML when its library loads.
pub struct Nvml(Option<nvml_wrapper::Nvml>);

impl Nvml {
    /// Loads NVML; a machine without it (or without NVIDIA's driver) has no GPUs to read.
    pub fn load() -> Self {
        Self(nvml_wrapper::Nvml::init().ok())
    }

    /// Each GPU's reading as the sampler's `nvidia-smi` query prints it (`[N/A]` where the
    /// card does not say), so one parser reads both.
    pub fn lines(&self) -> String {
        use nvml_wrapper::enum_wrappers::device::TemperatureSensor;
        let Some(nvml) = &self.0 else {
            return String::new();
        };
        let na = |v: Option<String>| v.unwrap_or_else(|| "[N/A]".into());
        let mut out = String::new();
        for i in 0..nvml.device_count().unwrap_or(0).min(GPUS_MAX as u32) {
            let Ok(d) = nvml.device_by_index(i) else {
                continue;
            };
            let model = d.name().unwrap_or_default().replace(',', " ");
            let busy = d.utilization_rates().ok().map(|u| u.gpu.to_string());
            let mem = d.memory_info().ok();
            let mib = |f: fn(&nvml_wrapper::struct_wrappers::device::MemoryInfo) -> u64| {
                mem.as_ref().map(|m| (f(m) >> 20).to_string())
            };
            let temp = d.temperature(TemperatureSensor::Gpu).ok();
            out.push_str(&format!(
                "nvidia-smi:{i}, {model}, {}, {}, {}, {}\n",
                na(busy),
                na(mib(|m| m.used)),
                na(mib(|m| m.total)),
                na(temp.map(|t| t.to_string())),
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Vec<Gpu>, Vec<Sensor>) {
        let mut l = Lines::default();
        for line in text.lines() {
            if let Some((p, v)) = line.split_once(':') {
                l.take(p, v);
            }
        }
        l.finish()
    }

    #[test]
    fn amd_files_and_nvidia_smi_lines_give_gpus_and_temperatures() {
        let (gpus, sensors) = read(
            "/sys/class/drm/card1/device/gpu_busy_percent:37
/sys/class/drm/card1/device/mem_info_vram_used:1073741824
/sys/class/drm/card1/device/mem_info_vram_total:4294967296
nvidia-smi:0, NVIDIA A100-SXM4-40GB, 35, 1024, 40960, 45
nvidia-smi:1, Tesla T4, [N/A], 0, 15360, [N/A]
",
        );
        let g = |name: &str| gpus.iter().find(|g| g.name == name).cloned();
        let amd = g("card1").expect("card1");
        assert_eq!((amd.busy, amd.mem_pct()), (Some(37.0), Some(25.0)));
        let a100 = g("0 NVIDIA A100-SXM4-40GB").expect("a100");
        assert_eq!(
            (a100.busy, a100.mem_used, a100.mem_total),
            (Some(35.0), 1024 << 20, 40960 << 20)
        );
        let t4 = g("1 Tesla T4").expect("t4");
        assert_eq!((t4.busy, t4.mem_pct()), (None, Some(0.0)));
        let temps: Vec<(&str, f64)> = sensors.iter().map(|s| (s.name.as_str(), s.value)).collect();
        assert_eq!(temps, [("gpu 0 NVIDIA A100-SXM4-40GB", 45.0)]);
    }

    #[test]
    fn garbage_and_connectors_give_nothing_and_never_panic() {
        let junk = "/sys/class/drm/card0-HDMI-A-1/device/gpu_busy_percent:5
/sys/class/drm/card0/device/gpu_busy_percent:lots
/sys/class/drm/card0/device/a/b:1
nvidia-smi:x, y, 1, 2, 3, 4
nvidia-smi:0, only three, fields
nvidia-smi:\u{1b}[2J
";
        assert_eq!(read(junk), (vec![], vec![]));
        let many: String = (0..100)
            .map(|i| format!("nvidia-smi:{i}, GPU, 1, 1, 1, 1\n"))
            .collect();
        assert_eq!(read(&many).0.len(), GPUS_MAX);
    }

    #[test]
    fn the_sampler_runs_this_query() {
        let sampler = include_str!("ssh/sampler.sh");
        assert!(sampler.contains(&format!("nvsmi = \"{NVIDIA_SMI} 2>/dev/null\"")));
    }

    #[test]
    fn nvml_lines_read_as_the_sampler_sends() {
        // This machine may have no GPU (then no lines); any it has reads back, named.
        let text = Nvml::load().lines();
        let (gpus, _) = read(&text);
        assert_eq!(gpus.len(), text.lines().count());
        assert!(gpus.iter().all(|g| !g.name.is_empty()));
    }
}
