//! docs/scenario.md lists every key the scenario parser accepts, and nothing it rejects.
//!
//! The accepted keys are not a hand-written list: a tracing `serde::Deserializer` walks the
//! parser's own structs (`sim::scenario::raw::RawScenario` and everything under it, each
//! `deny_unknown_fields`), answering every `deserialize_struct` with all of its `fields` and
//! recording each field's dotted path (`workload.jobs.arrival`). Arrays of tables (`[[arm]]`),
//! options and `Spanned` wrappers are looked through, so `arm.capacity.managed_scaling` is the
//! path a user writes.
//!
//! Three values are parsed by hand in `src/scenario/raw.rs`, not by serde, so the tracer cannot
//! see their keys: the arrival process (`RawArrival`), duration distributions
//! (`RawDistribution`: `duration`, `task_start_latency`, `instance_launch_latency`) and a
//! service's load curve (`RawLoad`). Their keys are probed from the parser instead: an unknown
//! form makes it list every form it takes, each a TOML table that is then parsed (it must be
//! accepted) and flattened to dotted keys (`poisson.per_hour`), and each form with an extra key
//! makes it list that form's keys. Three more values are read through `toml::Value` and hold
//! no fixed keys: durations and sizes (scalars) and `subnet_ips` (a number or a table keyed by
//! zone name); `pricing.ec2` is a map keyed by instance type. Any other value read that way
//! fails this test until it is taught here (and documented).
//!
//! A struct met at several paths (`RawCapacity` at `arm.capacity` and at
//! `arm.capacity_providers.capacity`, placement constraints on jobs, services and arms) needs
//! each of its fields documented at one of them; the page says where the others share them.

use std::any::type_name;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Deserialize;
use serde::de::value::BorrowedStrDeserializer;
use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use sim::scenario::raw::{RawArrival, RawDistribution, RawLoad, RawScenario};

use crate::common::root;

/// What the tracer found.
#[derive(Default, Debug)]
struct Trace {
    /// Every field path reached → (the struct it is a field of, the field's name).
    keys: BTreeMap<String, (&'static str, &'static str)>,
    /// Every struct → the paths where it was met (`""` for the whole file).
    instances: BTreeMap<&'static str, BTreeSet<String>>,
    /// Paths whose value is read through `toml::Value` → the Rust type read there.
    opaque: BTreeMap<String, String>,
}

#[derive(Debug)]
struct TraceError(String);

impl fmt::Display for TraceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TraceError {}

impl de::Error for TraceError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        TraceError(msg.to_string())
    }
}

const SPANNED: &str = "$__serde_spanned_private_Spanned";

/// A deserializer that offers every field of every struct it is asked for, with a placeholder
/// value, and records where each one is.
struct Tracer<'a> {
    path: String,
    /// The type being read here (from the seed), for values read through `toml::Value`.
    ty: &'static str,
    trace: &'a RefCell<Trace>,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Methods that answer with one placeholder value: `visit(value): method ...;`.
macro_rules! placeholders {
    ($($visit:ident($value:expr): $($method:ident)+;)+) => {
        $($(
            fn $method<V: Visitor<'de>>(self, v: V) -> Result<V::Value, TraceError> {
                v.$visit($value)
            }
        )+)+
    };
}

impl<'de> Deserializer<'de> for Tracer<'_> {
    type Error = TraceError;

    /// Reached only through `toml::Value::deserialize` (the hand-parsed values): record the
    /// path and answer with a value every such type accepts (an arrival process must be a
    /// table).
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TraceError> {
        self.trace
            .borrow_mut()
            .opaque
            .insert(self.path.clone(), self.ty.to_string());
        let sample: toml::Value = if self.ty.contains("RawArrival") {
            toml::from_str::<toml::Table>("fixed_interval = 1")
                .map(toml::Value::Table)
                .map_err(de::Error::custom)?
        } else {
            toml::Value::Integer(1)
        };
        sample.deserialize_any(visitor).map_err(de::Error::custom)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, TraceError> {
        v.visit_bool(false)
    }
    placeholders! {
        visit_u64(1): deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
            deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64;
        visit_f64(1.0): deserialize_f32 deserialize_f64;
        visit_str("x"): deserialize_str deserialize_string;
    }
    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, TraceError> {
        v.visit_some(self)
    }
    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, TraceError> {
        v.visit_seq(OneElement(Some(self)))
    }
    /// A map with keys the user chooses (`pricing.ec2`): no fixed keys to list.
    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, TraceError> {
        self.trace
            .borrow_mut()
            .opaque
            .insert(self.path.clone(), "map".to_string());
        v.visit_map(Fields {
            fields: &[],
            next: 0,
            owner: "",
            tracer: self,
        })
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, TraceError> {
        if name != SPANNED {
            self.trace
                .borrow_mut()
                .instances
                .entry(name)
                .or_default()
                .insert(self.path.clone());
        }
        v.visit_map(Fields {
            fields,
            next: 0,
            owner: name,
            tracer: self,
        })
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char bytes byte_buf unit unit_struct newtype_struct tuple tuple_struct enum
        identifier ignored_any
    }
}

/// A sequence of one element, read at the sequence's own path (`[[workload.jobs]]` is
/// `workload.jobs`).
struct OneElement<'a>(Option<Tracer<'a>>);

impl<'de> SeqAccess<'de> for OneElement<'_> {
    type Error = TraceError;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, TraceError> {
        match self.0.take() {
            None => Ok(None),
            Some(t) => seed
                .deserialize(Tracer {
                    ty: type_name::<T>(),
                    ..t
                })
                .map(Some),
        }
    }
}

/// Every field of one struct, in declaration order.
struct Fields<'a> {
    fields: &'static [&'static str],
    next: usize,
    owner: &'static str,
    tracer: Tracer<'a>,
}

impl<'de> MapAccess<'de> for Fields<'_> {
    type Error = TraceError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, TraceError> {
        let Some(field) = self.fields.get(self.next) else {
            return Ok(None);
        };
        seed.deserialize(BorrowedStrDeserializer::new(field))
            .map(Some)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, TraceError> {
        let field = self.fields[self.next];
        self.next += 1;
        let t = &self.tracer;
        if self.owner == SPANNED {
            // `Spanned`: a start and an end offset, then the value itself at the same path.
            if field.ends_with("_value") {
                return seed.deserialize(Tracer {
                    path: t.path.clone(),
                    ty: type_name::<V>(),
                    trace: t.trace,
                });
            }
            return seed.deserialize(0usize.into_deserializer());
        }
        let path = join(&t.path, field);
        t.trace
            .borrow_mut()
            .keys
            .insert(path.clone(), (self.owner, field));
        seed.deserialize(Tracer {
            path,
            ty: type_name::<V>(),
            trace: t.trace,
        })
    }
}

fn trace_scenario() -> Trace {
    let trace = RefCell::new(Trace::default());
    RawScenario::deserialize(Tracer {
        path: String::new(),
        ty: type_name::<RawScenario>(),
        trace: &trace,
    })
    .expect("the tracer reaches every field");
    trace.into_inner()
}

/// The forms a hand-parsed value takes, as the parser itself lists them when given an
/// unknown one: every `{ ... }` in its message.
fn forms_in(message: &str) -> Vec<String> {
    let mut forms = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    for (i, c) in message.char_indices() {
        match c {
            '{' => {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            }
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    forms.push(message[start..=i].to_string());
                }
            }
            _ => {}
        }
    }
    forms
}

/// Dotted keys of a table: `{ poisson = { per_hour = 1 } }` → `poisson.per_hour`.
fn flatten(prefix: &str, table: &toml::Table, out: &mut BTreeSet<String>) {
    for (k, v) in table {
        match v {
            toml::Value::Table(t) if !t.is_empty() => flatten(&join(prefix, k), t, out),
            _ => {
                out.insert(join(prefix, k));
            }
        }
    }
}

/// Parse `v = {src}` as `T`: the error message, if any.
fn parse_as<T: for<'de> Deserialize<'de>>(src: &str) -> Result<(), String> {
    #[derive(Deserialize)]
    struct W<T> {
        #[allow(dead_code)]
        v: T,
    }
    toml::from_str::<W<T>>(&format!("v = {src}"))
        .map(|_| ())
        .map_err(|e| e.message().to_string())
}

/// The keys inside a hand-parsed value, probed from its parser (see the module doc).
fn probe<T: for<'de> Deserialize<'de>>() -> BTreeSet<String> {
    let message = parse_as::<T>("{ zz_unknown = { zz = 1 } }").expect_err("an unknown form");
    let forms = forms_in(&message);
    assert!(
        !forms.is_empty(),
        "{}: no forms in `{message}`",
        type_name::<T>()
    );
    let mut keys = BTreeSet::new();
    for form in forms {
        parse_as::<T>(&form).unwrap_or_else(|e| {
            panic!(
                "{}: the form `{form}` it lists is refused: {e}",
                type_name::<T>()
            )
        });
        let table: toml::Table = toml::from_str(&format!("v = {form}")).expect("a TOML table");
        let Some(toml::Value::Table(outer)) = table.get("v") else {
            panic!("`{form}` is not a table")
        };
        flatten("", outer, &mut keys);
        // Each form with one key too many: the parser lists the keys the form takes.
        for (kind, inner) in outer {
            let toml::Value::Table(inner) = inner else {
                continue;
            };
            let mut extra = inner.clone();
            extra.insert("zz_extra".to_string(), toml::Value::Integer(1));
            let probe = toml::Value::Table(toml::Table::from_iter([(
                kind.clone(),
                toml::Value::Table(extra),
            )]));
            let e = parse_as::<T>(&probe.to_string()).expect_err("an extra key is refused");
            let listed = e.split_once("expected").map_or("", |(_, l)| l);
            for name in listed.split('`').skip(1).step_by(2) {
                keys.insert(format!("{kind}.{name}"));
            }
        }
    }
    keys
}

/// Every key docs/scenario.md lists: the first cell of each row of a table whose header
/// starts `| key |`, prefixed by the section's table (`[[workload.jobs]]` → `workload.jobs.`).
fn documented() -> BTreeSet<String> {
    let page = std::fs::read_to_string(root().join("docs/scenario.md")).expect("docs/scenario.md");
    let mut keys = BTreeSet::new();
    let mut prefix = String::new();
    let mut in_table = false;
    for line in page.lines() {
        if let Some(heading) = line.strip_prefix('#') {
            let level2 = heading.starts_with("# ");
            let table = heading
                .split('`')
                .nth(1)
                .filter(|t| t.starts_with('['))
                .map(|t| t.trim_matches(['[', ']']).to_string());
            match (table, level2) {
                (Some(t), _) => prefix = t,
                (None, true) => prefix.clear(),
                (None, false) => {}
            }
            in_table = false;
            continue;
        }
        if !line.starts_with('|') {
            in_table = false;
            continue;
        }
        let first = line
            .trim_start_matches('|')
            .split('|')
            .next()
            .unwrap_or("")
            .trim();
        if first == "key" {
            in_table = true;
            continue;
        }
        if in_table && let Some(key) = first.split('`').nth(1) {
            keys.insert(join(&prefix, key));
        }
    }
    keys
}

#[test]
fn every_key_the_parser_accepts_is_on_the_page_and_back() {
    let trace = trace_scenario();
    let doc = documented();

    // Values read through `toml::Value`: hand-parsed (keys probed), or with no fixed keys.
    let mut probed: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    probed.insert("RawArrival", probe::<RawArrival>());
    probed.insert("RawDistribution", probe::<RawDistribution>());
    probed.insert("RawLoad", probe::<RawLoad>());
    let keyless = ["DurationValue", "RawSize", "toml::value::Value", "map"];
    let kind_of = |ty: &str| -> Option<&'static str> {
        ["RawArrival", "RawDistribution", "RawLoad"]
            .into_iter()
            .chain(keyless)
            .find(|k| ty.contains(k))
    };

    let mut missing = Vec::new();
    // Each field, at one of the paths where its struct is met.
    for (path, (owner, field)) in &trace.keys {
        let at = &trace.instances[owner];
        if !at.iter().any(|q| doc.contains(&join(q, field))) {
            missing.push(format!("{path} (field `{field}` of {owner})"));
        }
    }
    // Each key inside a hand-parsed value, at one of the paths where that type is read.
    let mut hand_parsed_keys = BTreeSet::new();
    for (kind, keys) in &probed {
        let at: Vec<&String> = trace
            .opaque
            .iter()
            .filter(|(_, ty)| kind_of(ty) == Some(*kind))
            .map(|(p, _)| p)
            .collect();
        assert!(
            !at.is_empty(),
            "{kind} is read nowhere any more; update this test"
        );
        for key in keys {
            for p in &at {
                hand_parsed_keys.insert(join(p, key));
            }
            if !at.iter().any(|p| doc.contains(&join(p, key))) {
                missing.push(format!(
                    "{}.{key} (a form of {kind}, parsed by hand)",
                    at[0]
                ));
            }
        }
    }
    let unknown: Vec<_> = trace
        .opaque
        .iter()
        .filter(|(_, ty)| kind_of(ty).is_none())
        .collect();
    assert!(
        unknown.is_empty(),
        "values read through toml::Value that this test does not know (teach it their keys, \
         and list them in docs/scenario.md): {unknown:?}"
    );
    assert!(
        missing.is_empty(),
        "the scenario parser accepts keys docs/scenario.md does not list:\n  {}",
        missing.join("\n  ")
    );

    // The other way: every key on the page is one the parser takes.
    let rejected: Vec<_> = doc
        .iter()
        .filter(|k| !trace.keys.contains_key(*k) && !hand_parsed_keys.contains(*k))
        .collect();
    assert!(
        rejected.is_empty(),
        "docs/scenario.md lists keys the scenario parser refuses: {rejected:?}"
    );
}

#[test]
fn the_complete_example_on_the_page_loads() {
    let page = std::fs::read_to_string(root().join("docs/scenario.md")).expect("docs/scenario.md");
    let (_, after) = page
        .split_once("## A complete example")
        .expect("the example section");
    let body = after
        .split_once("```toml\n")
        .and_then(|(_, b)| b.split_once("```"))
        .map(|(b, _)| b)
        .expect("a toml block");
    // As if it were a file in scenarios/, so its trace path resolves.
    let at = root().join("scenarios/example.toml");
    if let Err(e) = sim::scenario::load::load_str(&at, body) {
        panic!("the example of docs/scenario.md does not load: {e}");
    }
}
