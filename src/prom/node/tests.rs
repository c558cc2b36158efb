use super::*;
use crate::prom::expo::{Format, parse};

/// Lines as node_exporter 1.x writes them (an excerpt of each family used).
const PAGE: &str = r#"# TYPE node_cpu_seconds_total counter
node_cpu_seconds_total{cpu="0",mode="idle"} 1000.5
node_cpu_seconds_total{cpu="0",mode="user"} 20.25
node_cpu_seconds_total{cpu="0",mode="system"} 5
node_cpu_seconds_total{cpu="1",mode="idle"} 990
node_cpu_seconds_total{cpu="1",mode="steal"} 0.5
node_boot_time_seconds 1.7e+09
node_memory_MemTotal_bytes 8.0e+09
node_memory_MemAvailable_bytes 6.0e+09
node_memory_SwapTotal_bytes 0
node_load1 0.5
node_load5 0.25
node_load15 0.125
node_disk_read_bytes_total{device="vda"} 1024
node_disk_written_bytes_total{device="vda"} 2048
node_disk_reads_completed_total{device="vda"} 10
node_disk_writes_completed_total{device="vda"} 30
node_disk_read_time_seconds_total{device="vda"} 0.1
node_disk_write_time_seconds_total{device="vda"} 0.3
node_disk_io_time_seconds_total{device="vda"} 0.25
node_network_receive_bytes_total{device="eth0"} 100
node_network_transmit_bytes_total{device="eth0"} 200
node_filesystem_size_bytes{device="/dev/vda1",fstype="ext4",mountpoint="/"} 1000
node_filesystem_free_bytes{device="/dev/vda1",fstype="ext4",mountpoint="/"} 400
node_filesystem_avail_bytes{device="/dev/vda1",fstype="ext4",mountpoint="/"} 350
node_filesystem_files{device="/dev/vda1",fstype="ext4",mountpoint="/"} 100
node_filesystem_files_free{device="/dev/vda1",fstype="ext4",mountpoint="/"} 75
node_pressure_cpu_waiting_seconds_total 1.5
node_pressure_memory_waiting_seconds_total 0.25
node_pressure_memory_stalled_seconds_total 0.125
node_pressure_io_waiting_seconds_total 2
node_pressure_io_stalled_seconds_total 1
node_cpu_scaling_frequency_hertz{cpu="0"} 2.4e+09
node_cpu_scaling_frequency_hertz{cpu="1"} 1.2e+09
node_hwmon_temp_celsius{chip="platform_coretemp_0",sensor="temp1"} 54
node_hwmon_fan_rpm{chip="platform_it87",sensor="fan1"} 1200
"#;

#[test]
fn a_node_exporter_page_fills_the_host_model() {
    let page = parse(PAGE, Format::Text).expect("parses");
    let s = host_sample(&page, "web", 5);
    assert_eq!(
        (s.host.as_str(), s.ts_ms, s.boot_time),
        ("web", 5, 1_700_000_000)
    );
    assert_eq!(s.cpus.len(), 2);
    assert_eq!(
        (
            s.cpus[0].idle,
            s.cpus[0].user,
            s.cpus[0].system,
            s.cpus[1].steal
        ),
        (100_050, 2025, 500, 50)
    );
    assert_eq!(s.cpu_total.idle, 199_050);
    assert_eq!(
        (s.mem.total, s.mem.available),
        (8_000_000_000, 6_000_000_000)
    );
    assert_eq!(s.load, [0.5, 0.25, 0.125]);
    assert_eq!(
        (
            s.disks[0].name.as_str(),
            s.disks[0].sectors_read,
            s.disks[0].sectors_written
        ),
        ("vda", 2, 4)
    );
    assert_eq!((s.nets[0].rx_bytes, s.nets[0].tx_bytes), (100, 200));
    // df: used 600 of used + available 950.
    assert_eq!(
        (s.fs[0].mount.as_str(), s.fs[0].total, s.fs[0].available),
        ("/", 950, 350)
    );
    let y = &s.sys;
    assert_eq!(
        y.psi,
        Some([1_500_000, 250_000, 125_000, 2_000_000, 1_000_000])
    );
    assert_eq!(y.mhz, [2400.0, 1200.0]);
    let sensors: Vec<(&str, bool, f64)> = y
        .sensors
        .iter()
        .map(|x| (x.name.as_str(), x.fan, x.value))
        .collect();
    assert_eq!(
        sensors,
        [
            ("platform_coretemp_0 temp1", false, 54.0),
            ("platform_it87 fan1", true, 1200.0)
        ]
    );
    assert_eq!(
        (y.disks[0].ios, y.disks[0].io_ms, y.disks[0].busy_ms),
        (40, 400, 250)
    );
    assert_eq!((y.inodes[0].total, y.inodes[0].free), (100, 75));
}

#[test]
fn a_page_of_something_else_is_an_empty_host() {
    let page = parse(
        "up 1\nnode_cpu_seconds_total{cpu=\"x\",mode=\"idle\"} 1\n",
        Format::Text,
    )
    .expect("parses");
    let s = host_sample(&page, "h", 1);
    assert!(s.cpus.is_empty() && s.fs.is_empty() && s.sys.psi.is_none());
    assert_eq!(s.mem, MemRaw::default());
}
