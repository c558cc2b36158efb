//! What an expression rule shows: the figures that make its condition true, and whether an
//! expression is a condition at all.

use super::{BinOp, EvalContext, Expr};

impl Expr {
    /// Whether the expression is true or false rather than a number: a comparison, or
    /// and/or/not of conditions. `cpu_busy_percent` alone is not one (it would be "true" for
    /// any value but 0), so a rule must compare it with something.
    pub fn is_condition(&self) -> bool {
        match self {
            Expr::Binary(BinOp::And | BinOp::Or, l, r) => l.is_condition() && r.is_condition(),
            Expr::Binary(op, _, _) => op.compares(),
            Expr::Not(e) => e.is_condition(),
            _ => false,
        }
    }

    /// The value that makes a true condition true, and the line it was held to: the measured
    /// side of the comparison that holds (`avg(cpu_busy_percent, 5m) > 80` → the average and
    /// 80), of the left side of `and`, of the first true side of `or`. None under `not`.
    pub fn witness(&self, ctx: &dyn EvalContext) -> Option<(f64, Option<f64>)> {
        match self {
            Expr::Binary(BinOp::And, l, r) => l.witness(ctx).or_else(|| r.witness(ctx)),
            Expr::Binary(BinOp::Or, l, r) => match l.eval(ctx) {
                Some(v) if v != 0.0 => l.witness(ctx),
                _ => r.witness(ctx),
            },
            Expr::Binary(op, l, r) if op.compares() => {
                let (lv, rv) = (l.eval(ctx)?, r.eval(ctx)?);
                match (l.as_ref(), r.as_ref()) {
                    (Expr::Num(_), Expr::Num(_)) => None,
                    (Expr::Num(n), _) => Some((rv, Some(*n))),
                    (_, Expr::Num(n)) => Some((lv, Some(*n))),
                    _ => Some((lv, Some(rv))),
                }
            }
            _ => None,
        }
    }
}

impl BinOp {
    /// <, <=, >, >=, ==, !=.
    pub fn compares(self) -> bool {
        matches!(
            self,
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::alert::expr::{EvalContext, Func, parse};

    struct Ctx;
    impl EvalContext for Ctx {
        fn value(&self, metric: &str) -> Option<f64> {
            match metric {
                "load1" => Some(0.53),
                "network_receive_bytes_per_second" => Some(200.0),
                _ => None,
            }
        }
        fn window(&self, _: Func, _: &str, _: i64) -> Option<f64> {
            Some(83.25)
        }
    }

    #[test]
    fn a_rule_shows_the_value_that_made_it_true_not_one() {
        let w = |src: &str| parse(src).unwrap().witness(&Ctx);
        assert_eq!(w("load1 > 0"), Some((0.53, Some(0.0))));
        assert_eq!(w("0.5 < load1"), Some((0.53, Some(0.5))));
        let both = "avg(cpu_busy_percent, 5m) > 80 and network_receive_bytes_per_second < 1000";
        assert_eq!(w(both), Some((83.25, Some(80.0))));
        assert_eq!(w("load1 > 5 or load1 > 0.5"), Some((0.53, Some(0.5))));
        assert_eq!(w("not load1 > 5"), None);
    }

    #[test]
    fn a_bare_number_is_no_condition() {
        let c = |src: &str| parse(src).unwrap().is_condition();
        assert!(!c("cpu_busy_percent"));
        assert!(!c("load1 + 1"));
        assert!(!c("load1 > 1 and load5"));
        assert!(c("load1 > 1 and not load5 > 2"));
    }
}
