//! Writes an expression back as text a rule could contain (sub-expressions in parentheses).

use std::fmt;

use super::{BinOp, Expr, Func};

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Num(n) => write!(f, "{}", crate::alert::template::figure(*n)),
            Expr::Metric(m) => f.write_str(m),
            Expr::Window {
                func,
                metric,
                window_ms,
            } => {
                let name = match func {
                    Func::Avg => "avg",
                    Func::Max => "max",
                    Func::Min => "min",
                    Func::Rate => "rate",
                };
                let w = std::time::Duration::from_millis(*window_ms as u64);
                write!(f, "{name}({metric}, {})", humantime::format_duration(w))
            }
            Expr::Not(x) => write!(f, "not {}", Sub(x)),
            Expr::Neg(x) => write!(f, "-{}", Sub(x)),
            Expr::Binary(op, l, r) => {
                let op = match op {
                    BinOp::Or => "or",
                    BinOp::And => "and",
                    BinOp::Lt => "<",
                    BinOp::Le => "<=",
                    BinOp::Gt => ">",
                    BinOp::Ge => ">=",
                    BinOp::Eq => "==",
                    BinOp::Ne => "!=",
                    BinOp::Add => "+",
                    BinOp::Sub => "-",
                    BinOp::Mul => "*",
                    BinOp::Div => "/",
                };
                write!(f, "{} {op} {}", Sub(l), Sub(r))
            }
        }
    }
}

/// An operand: in parentheses when it is itself an operation.
struct Sub<'a>(&'a Expr);

impl fmt::Display for Sub<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            e @ (Expr::Binary(..) | Expr::Not(_)) => write!(f, "({e})"),
            e => write!(f, "{e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::alert::expr::parse;

    #[test]
    fn writes_what_parses_back_the_same() {
        for text in [
            "(avg(cpu_busy_percent, 5m) > 80) and (load1_per_core > 1)",
            "(rate(load1, 2m) > 0.1) and (not (cpu_iowait_percent < 5))",
            "(min(cpu_busy_percent, 30s) * 2) > memory_used_percent",
        ] {
            let e = parse(text).unwrap();
            assert_eq!(e.to_string(), text);
            assert_eq!(parse(&e.to_string()).unwrap(), e);
        }
    }
}
