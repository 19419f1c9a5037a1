//! Task group names, interned to dense ids in order of first appearance.

use std::collections::BTreeMap;

use crate::ids::GroupId;

/// Interns task group names; ids follow first appearance, so they are deterministic.
#[derive(Debug, Clone, Default)]
pub struct GroupTable {
    names: Vec<String>,
    ids: BTreeMap<String, GroupId>,
}

impl GroupTable {
    /// An empty table.
    pub fn new() -> GroupTable {
        GroupTable::default()
    }

    /// The id of `name`, adding it if new.
    pub fn intern(&mut self, name: &str) -> GroupId {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = GroupId(self.names.len() as u32);
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }

    /// Names by id.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The name of `id`.
    pub fn name(&self, id: GroupId) -> &str {
        self.names
            .get(id.0 as usize)
            .map_or("default", String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_first_appearance() {
        let mut t = GroupTable::new();
        assert_eq!(t.intern("b"), GroupId(0));
        assert_eq!(t.intern("a"), GroupId(1));
        assert_eq!(t.intern("b"), GroupId(0));
        assert_eq!(t.name(GroupId(1)), "a");
    }
}
