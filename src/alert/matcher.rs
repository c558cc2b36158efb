//! Label matchers with Alertmanager's semantics: `name="value"`, `name!="value"`,
//! `name=~"regex"`, `name!~"regex"`. Regexes are anchored at both ends; a label an alert does
//! not have is the empty string (so `env!="dev"` matches alerts with no `env`).

use regex::Regex;

use super::lifecycle::Alert;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Re,
    NotRe,
}

#[derive(Debug, Clone)]
pub struct Matcher {
    pub name: String,
    pub op: Op,
    pub value: String,
    regex: Option<Regex>,
}

impl PartialEq for Matcher {
    fn eq(&self, o: &Self) -> bool {
        (&self.name, self.op, &self.value) == (&o.name, o.op, &o.value)
    }
}

impl std::fmt::Display for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let op = match self.op {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Re => "=~",
            Op::NotRe => "!~",
        };
        write!(f, "{}{op}{:?}", self.name, self.value)
    }
}

impl std::str::FromStr for Matcher {
    type Err = String;

    /// `name op value`, the value quoted (`"…"`, with `\"` and `\\`) or bare.
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let at = s
            .find(['=', '!'])
            .ok_or_else(|| format!("`{s}` is not a matcher like severity=\"critical\""))?;
        let name = s[..at].trim();
        let valid = |c: char| c.is_ascii_alphanumeric() || c == '_';
        if name.is_empty()
            || !name.chars().all(valid)
            || name.starts_with(|c: char| c.is_ascii_digit())
        {
            return Err(format!("`{name}` is not a label name"));
        }
        let rest = &s[at..];
        let (op, value) = [
            ("=~", Op::Re),
            ("!~", Op::NotRe),
            ("!=", Op::Ne),
            ("=", Op::Eq),
        ]
        .into_iter()
        .find_map(|(t, op)| rest.strip_prefix(t).map(|v| (op, v)))
        .ok_or_else(|| format!("`{s}`: the operator is one of = != =~ !~"))?;
        let value = unquote(value.trim())?;
        let regex = match op {
            Op::Re | Op::NotRe => Some(Regex::new(&format!("^(?:{value})$")).map_err(|e| {
                let why = e.to_string();
                let why = why.lines().last().unwrap_or_default().trim().to_string();
                format!("`{value}` is not a regex ({why})")
            })?),
            _ => None,
        };
        Ok(Self {
            name: name.to_string(),
            op,
            value,
            regex,
        })
    }
}

fn unquote(v: &str) -> Result<String, String> {
    let Some(inner) = v.strip_prefix('"') else {
        return Ok(v.to_string());
    };
    let inner = inner
        .strip_suffix('"')
        .ok_or_else(|| format!("`{v}`: a quote with no end"))?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next().unwrap_or('\\')),
            c => out.push(c),
        }
    }
    Ok(out)
}

impl Matcher {
    /// Whether a label `value` (None: the alert does not have it) matches.
    pub fn matches_value(&self, value: Option<&str>) -> bool {
        let v = value.unwrap_or("");
        match (self.op, &self.regex) {
            (Op::Eq, _) => v == self.value,
            (Op::Ne, _) => v != self.value,
            (Op::Re, Some(r)) => r.is_match(v),
            (Op::NotRe, Some(r)) => !r.is_match(v),
            _ => false,
        }
    }

    /// Whether the alert (its labels, `alertname` and `severity` among them) matches.
    pub fn matches(&self, a: &Alert) -> bool {
        self.matches_value(a.label(&self.name))
    }
}

/// Whether every matcher holds for `a`.
pub fn all_match(ms: &[Matcher], a: &Alert) -> bool {
    ms.iter().all(|m| m.matches(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Alertmanager's matcher semantics, case by case.
    #[test]
    fn matchers_follow_alertmanagers_semantics() {
        let cases: &[(&str, Option<&str>, bool)] = &[
            (r#"severity="critical""#, Some("critical"), true),
            (r#"severity="critical""#, Some("warning"), false),
            (r#"env!="dev""#, Some("prod"), true),
            (r#"env!="dev""#, None, true),
            (r#"env!="dev""#, Some("dev"), false),
            (r#"env="""#, None, true),
            (r#"host=~"db-.*""#, Some("db-1"), true),
            (r#"host=~"db-.*""#, Some("web-db-1"), false),
            (r#"host=~"db-1|db-2""#, Some("db-2"), true),
            (r#"host!~"db-.*""#, Some("web-1"), true),
            (r#"host!~"db-.*""#, None, true),
            (r#"host=~".*""#, None, true),
            (r#"host=~".+""#, None, false),
            ("team=ops", Some("ops"), true),
            (
                r#"msg="a \"quoted\" word""#,
                Some(r#"a "quoted" word"#),
                true,
            ),
        ];
        for (text, value, want) in cases {
            let m: Matcher = text.parse().unwrap();
            assert_eq!(m.matches_value(*value), *want, "{text} on {value:?}");
        }
    }

    #[test]
    fn bad_matchers_say_why() {
        for (text, why) in [
            ("severity", "not a matcher"),
            ("=x", "not a label name"),
            ("a b=x", "not a label name"),
            (r#"host=~"(""#, "not a regex"),
            (r#"host="x"#, "no end"),
        ] {
            let e = text.parse::<Matcher>().unwrap_err();
            assert!(e.contains(why), "{text}: {e}");
        }
        let m: Matcher = r#"host=~"db-.*""#.parse().unwrap();
        assert_eq!(m.to_string(), r#"host=~"db-.*""#);
    }
}
