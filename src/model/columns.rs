//! The columns of a process list, what htop users choose from: their names in config, their
//! headings, and the order each sorts in.

use std::cmp::Ordering;

use super::ProcRow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProcColumn {
    Pid,
    User,
    Priority,
    Nice,
    State,
    Threads,
    Cpu,
    Res,
    Mem,
    Time,
    Read,
    Write,
    Command,
}

use ProcColumn::*;

impl ProcColumn {
    /// Every column, in the default order.
    pub const ALL: [ProcColumn; 13] = [
        Pid, User, Priority, Nice, State, Threads, Cpu, Res, Mem, Time, Read, Write, Command,
    ];

    /// Its name in config (`[ui] process_columns`).
    pub fn key(self) -> &'static str {
        match self {
            Pid => "pid",
            User => "user",
            Priority => "priority",
            Nice => "nice",
            State => "state",
            Threads => "threads",
            Cpu => "cpu",
            Res => "res",
            Mem => "mem",
            Time => "time",
            Read => "read",
            Write => "write",
            Command => "command",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == key)
    }

    /// Its heading, as htop writes it.
    pub fn heading(self) -> &'static str {
        match self {
            Pid => "PID",
            User => "USER",
            Priority => "PRI",
            Nice => "NI",
            State => "S",
            Threads => "THR",
            Cpu => "CPU%",
            Res => "RES",
            Mem => "MEM%",
            Time => "TIME+",
            Read => "READ/s",
            Write => "WRITE/s",
            Command => "COMMAND",
        }
    }

    /// What a list sorted by it is sorted by, in a title.
    pub fn describe(self) -> &'static str {
        match self {
            Pid => "PID",
            User => "user",
            Priority => "priority",
            Nice => "nice",
            State => "state",
            Threads => "threads",
            Cpu => "CPU",
            Res | Mem => "memory",
            Time => "CPU time",
            Read => "reads",
            Write => "writes",
            Command => "command",
        }
    }

    /// `a` before `b` in this column's own order: figures largest first (the busiest
    /// process on top, as in htop), the PID, names and the state A to Z.
    pub fn order(self, a: &ProcRow, b: &ProcRow) -> Ordering {
        let figure = |f: fn(&ProcRow) -> Option<f64>| {
            let v = |p| f(p).unwrap_or(f64::NEG_INFINITY);
            v(b).total_cmp(&v(a))
        };
        match self {
            Pid => a.pid.cmp(&b.pid),
            User => a.user.cmp(&b.user),
            Priority => b.priority.cmp(&a.priority),
            Nice => b.nice.cmp(&a.nice),
            State => a.state.cmp(&b.state),
            Threads => b.threads.cmp(&a.threads),
            // As shown, to a tenth: what looks the same ties.
            Cpu => figure(|p| p.cpu.map(|c| (c * 10.0).round())),
            Res | Mem => b.rss.cmp(&a.rss),
            Time => b.time_ms.cmp(&a.time_ms),
            Read => figure(|p| p.read),
            Write => figure(|p| p.write),
            Command => command(a).cmp(command(b)),
        }
    }
}

/// What the command column shows of a process: its command line, else its name.
pub fn command(p: &ProcRow) -> &str {
    if p.cmdline.is_empty() {
        &p.name
    } else {
        &p.cmdline
    }
}

impl<'de> serde::Deserialize<'de> for ProcColumn {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let key = String::deserialize(d)?;
        Self::parse(&key).ok_or_else(|| {
            let names: Vec<&str> = Self::ALL.iter().map(|c| c.key()).collect();
            serde::de::Error::custom(format!("not a process column: one of {}", names.join(", ")))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_column_has_a_name_that_parses_and_sorts_busiest_or_a_to_z_first() {
        for c in ProcColumn::ALL {
            assert_eq!(ProcColumn::parse(c.key()), Some(c));
        }
        let a = ProcRow {
            pid: 1,
            cpu: Some(50.0),
            rss: 10,
            cmdline: "zsh".into(),
            ..Default::default()
        };
        let b = ProcRow {
            pid: 2,
            cpu: None,
            rss: 20,
            name: "bash".into(),
            ..Default::default()
        };
        assert_eq!(
            Cpu.order(&a, &b),
            Ordering::Less,
            "known CPU before unknown"
        );
        assert_eq!(Res.order(&a, &b), Ordering::Greater);
        assert_eq!(Pid.order(&a, &b), Ordering::Less);
        assert_eq!(
            Command.order(&a, &b),
            Ordering::Greater,
            "bash (its name) before zsh"
        );
    }
}
