//! Token text ↔ small integer, with reference counts so that tokens of evicted patterns are
//! given back: the table holds what live patterns hold, however many distinct words stream by.

use rustc_hash::FxHashMap as HashMap;

/// The id of `<*>`, always present.
pub const WILD: u32 = 0;

#[derive(Debug)]
pub struct Interner {
    ids: HashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
    refs: Vec<u32>,
    free: Vec<u32>,
}

impl Interner {
    pub fn new(wild: &str) -> Self {
        Self {
            ids: HashMap::from_iter([(wild.into(), WILD)]),
            names: vec![wild.into()],
            refs: vec![u32::MAX],
            free: Vec::new(),
        }
    }

    pub fn get(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }

    /// The id of `s`, holding one more reference to it.
    pub fn acquire(&mut self, s: &str) -> u32 {
        if let Some(id) = self.get(s) {
            self.retain(id);
            return id;
        }
        let id = match self.free.pop() {
            Some(id) => {
                self.names[id as usize] = s.into();
                self.refs[id as usize] = 1;
                id
            }
            None => {
                self.names.push(s.into());
                self.refs.push(1);
                (self.names.len() - 1) as u32
            }
        };
        self.ids.insert(s.into(), id);
        id
    }

    pub fn retain(&mut self, id: u32) {
        if id != WILD {
            self.refs[id as usize] += 1;
        }
    }

    pub fn release(&mut self, id: u32) {
        if id == WILD {
            return;
        }
        let r = &mut self.refs[id as usize];
        *r -= 1;
        if *r == 0 {
            let name = std::mem::take(&mut self.names[id as usize]);
            self.ids.remove(&name);
            self.free.push(id);
        }
    }

    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    /// Live tokens.
    pub fn len(&self) -> usize {
        self.ids.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn released_tokens_are_forgotten_and_ids_reused() {
        let mut i = Interner::new("<*>");
        let a = i.acquire("a");
        assert_eq!(i.acquire("a"), a);
        i.release(a);
        assert_eq!(i.get("a"), Some(a));
        i.release(a);
        assert_eq!(i.get("a"), None);
        let b = i.acquire("b");
        assert_eq!(b, a);
        assert_eq!(i.name(b), "b");
        assert_eq!(i.len(), 2);
    }
}
