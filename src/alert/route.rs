//! Routing of notices, as Alertmanager's routes: `[[notify.routes]]` in order, each with
//! matchers, receivers, `continue` and its own grouping. An alert goes to the first route that
//! matches it, and on to later ones while the routes it matched say `continue`; an alert that
//! no route takes goes to the default route (`[notify] default`, else every receiver). Pure.

use super::lifecycle::Alert;
use super::matcher::{Matcher, all_match};
use super::notify::Grouping;

#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub matchers: Vec<Matcher>,
    pub receivers: Vec<String>,
    /// Go on to later routes after this one matched.
    pub cont: bool,
    pub grouping: Grouping,
}

/// The routes, the default one last (it has no matchers).
#[derive(Debug, Clone, PartialEq)]
pub struct Routing {
    pub routes: Vec<Route>,
    /// Where `notification_failing` goes (none: the routes, as any alert).
    pub fallback: Vec<String>,
    /// A receiver failing this long raises `notification_failing`.
    pub failing_after_ms: i64,
}

/// The alert a receiver failing for `failing_after` raises (label `receiver`).
pub const FAILING: &str = "notification_failing";

impl Default for Routing {
    /// Everything to every receiver, grouped as Alertmanager does by default.
    fn default() -> Self {
        Self::new(Vec::new(), Vec::new(), Grouping::default())
    }
}

impl Routing {
    /// `routes`, then a default route to `default` receivers grouped by `grouping`.
    pub fn new(mut routes: Vec<Route>, default: Vec<String>, grouping: Grouping) -> Self {
        routes.push(Route {
            matchers: Vec::new(),
            receivers: default,
            cont: false,
            grouping,
        });
        Self {
            routes,
            fallback: Vec::new(),
            failing_after_ms: 300_000,
        }
    }

    /// The indexes of the routes `a` goes to (never empty: the default route takes the rest).
    pub fn of(&self, a: &Alert) -> Vec<usize> {
        let last = self.routes.len() - 1;
        let mut out = Vec::new();
        for (i, r) in self.routes[..last].iter().enumerate() {
            if all_match(&r.matchers, a) {
                out.push(i);
                if !r.cont {
                    return out;
                }
            }
        }
        if out.is_empty() {
            out.push(last);
        }
        out
    }

    /// The receivers of route `i`: its own, or (empty) every receiver in `all`.
    pub fn receivers<'a>(&'a self, i: usize, all: &'a [String]) -> &'a [String] {
        match self.routes.get(i).map(|r| r.receivers.as_slice()) {
            Some(r) if !r.is_empty() => r,
            _ => all,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(ms: &[&str], to: &str, cont: bool) -> Route {
        Route {
            matchers: ms.iter().map(|m| m.parse().unwrap()).collect(),
            receivers: vec![to.into()],
            cont,
            grouping: Grouping::default(),
        }
    }

    #[test]
    fn an_alert_takes_the_first_route_and_goes_on_only_with_continue() {
        let r = Routing::new(
            vec![
                route(&[r#"severity="critical""#], "pager", true),
                route(&[r#"host=~"db-.*""#], "dba", false),
                route(&[r#"host=~"db-.*""#], "never", false),
                route(&[r#"env!="dev""#, r#"severity!="info""#], "ops", false),
            ],
            vec!["mail".into()],
            Grouping::default(),
        );
        let mut a = Alert::firing("disk_full", &[("host", "db-1")]);
        a.severity = crate::alert::lifecycle::Severity::Critical;
        assert_eq!(r.of(&a), vec![0, 1], "critical goes on to the db route");
        let b = Alert::firing("disk_full", &[("host", "web-1"), ("env", "dev")]);
        assert_eq!(r.of(&b), vec![4], "no route: the default");
        let c = Alert::firing("disk_full", &[("host", "web-1")]);
        assert_eq!(r.of(&c), vec![3]);
        let all = vec!["a".to_string(), "b".to_string()];
        assert_eq!(r.receivers(4, &all), ["mail".to_string()]);
        let open = Routing::default();
        assert_eq!(open.of(&c), vec![0]);
        assert_eq!(
            open.receivers(0, &all),
            all.as_slice(),
            "no default: every receiver"
        );
    }
}
