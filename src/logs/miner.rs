//! A streaming template miner of the Drain family (He et al., ICWS 2017): a message's masked
//! tokens are looked up by their count and first token, then matched against that leaf's
//! templates by the share of equal tokens; the best one at or over `SIMILARITY` takes the
//! line (differing positions become `<*>`), else the line starts a new template. Tokens are
//! interned, so matching compares integers. One configuration for every log.

use std::collections::HashMap;

use super::mask::{VAR, mask_token};

/// Share of equal tokens a line needs to join a template (masking has made the variable
/// ones equal already, so what differs is mostly words).
const SIMILARITY: f64 = 0.8;

/// The interned `<*>`.
const WILD: u32 = 0;

/// A pattern: its tokens (`WILD` for a variable) and how many lines it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub tokens: Vec<u32>,
    pub count: u64,
}

#[derive(Debug)]
pub struct Miner {
    /// Token text → id; `names[id]` is the text.
    ids: HashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
    templates: Vec<Template>,
    /// (token count, first token or `WILD`) → templates there.
    leaves: HashMap<(usize, u32), Vec<usize>>,
    /// Reused for each line.
    line: Vec<u32>,
}

impl Default for Miner {
    fn default() -> Self {
        Self {
            ids: HashMap::from([(VAR.into(), WILD)]),
            names: vec![VAR.into()],
            templates: Vec::new(),
            leaves: HashMap::new(),
            line: Vec::new(),
        }
    }
}

impl Miner {
    fn intern(&mut self, token: &str) -> u32 {
        if let Some(id) = self.ids.get(token) {
            return *id;
        }
        let id = self.names.len() as u32;
        self.names.push(token.into());
        self.ids.insert(token.into(), id);
        id
    }

    /// Mines one message: the id of the template it joined or started.
    pub fn add(&mut self, message: &str) -> usize {
        let mut line = std::mem::take(&mut self.line);
        line.clear();
        for t in message.split_whitespace() {
            let id = match mask_token(t) {
                m if m == VAR => WILD,
                m => self.intern(&m),
            };
            line.push(id);
        }
        let key = (line.len(), line.first().copied().unwrap_or(WILD));
        let leaf = self.leaves.entry(key).or_default();
        let best = leaf
            .iter()
            .map(|i| (*i, similarity(&self.templates[*i].tokens, &line)))
            .filter(|(_, s)| *s >= SIMILARITY)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        let id = match best {
            Some((i, _)) => {
                let t = &mut self.templates[i];
                for (a, b) in t.tokens.iter_mut().zip(&line) {
                    if a != b {
                        *a = WILD;
                    }
                }
                t.count += 1;
                i
            }
            None => {
                self.templates.push(Template {
                    tokens: line.clone(),
                    count: 1,
                });
                let i = self.templates.len() - 1;
                leaf.push(i);
                i
            }
        };
        self.line = line;
        id
    }

    pub fn templates(&self) -> &[Template] {
        &self.templates
    }

    /// A template as text.
    pub fn text(&self, t: &Template) -> String {
        t.tokens
            .iter()
            .map(|id| &*self.names[*id as usize])
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Share of positions where the template and the line agree (a template `<*>` agrees with
/// anything).
fn similarity(template: &[u32], line: &[u32]) -> f64 {
    if line.is_empty() {
        return 1.0;
    }
    let same = template
        .iter()
        .zip(line)
        .filter(|(a, b)| **a == WILD || a == b)
        .count();
    same as f64 / line.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_one_event_share_a_template() {
        let mut m = Miner::default();
        let a = m.add("PacketResponder 1 for block blk_38865049064139660 terminating");
        let b = m.add("PacketResponder 0 for block blk_-6952295868487656571 terminating");
        let c = m.add("Received block blk_-1608999687919862906 of size 91178 from /10.250.10.6");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(
            m.text(&m.templates()[a]),
            "PacketResponder <*> for block <*> terminating"
        );
        assert_eq!(m.templates()[a].count, 2);
    }
}
