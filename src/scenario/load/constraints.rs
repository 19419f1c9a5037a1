//! Validating `placement_constraints` lists (`distinctInstance`, `memberOf`).

use toml::Spanned;

use super::{R, Validator};
use crate::placement::PlacementConstraint;
use crate::placement::query::Expression;
use crate::scenario::limits::MAX_CONSTRAINTS;
use crate::scenario::raw::RawConstraint;

impl Validator<'_> {
    pub(super) fn constraints(
        &self,
        list: &[Spanned<RawConstraint>],
        key: &str,
    ) -> R<Vec<PlacementConstraint>> {
        if let Some(extra) = list.get(MAX_CONSTRAINTS) {
            return Err(self.err(extra.span(), format!("`{key}`: more than {MAX_CONSTRAINTS} constraints; ECS allows at most {MAX_CONSTRAINTS} per task")));
        }
        list.iter()
            .map(|c| {
                let raw = c.get_ref();
                match (raw.kind.as_str(), &raw.expression) {
                    ("distinctInstance", None) => Ok(PlacementConstraint::DistinctInstance),
                    ("distinctInstance", Some(_)) => Err(self.err(c.span(), format!("`{key}`: `distinctInstance` takes no expression"))),
                    ("memberOf", Some(text)) => {
                        let e = Expression::parse(text).map_err(|q| {
                            self.err(c.span(), format!("`{key}`: memberOf expression `{text}`: {q}"))
                        })?;
                        if let Some(subject) = e.unsupported_subject() {
                            return Err(self.err(c.span(), format!("`{key}`: memberOf expression `{text}`: subject `{subject}` is not modelled by sim; expected `attribute:<name>` (ecs.instance-type, ecs.availability-zone, ecs.cpu-architecture, ecs.os-type, ecs.os-family, ecs.awsvpc-trunk-id, or a custom one, which no instance has), `ec2InstanceId`, `task:group`, `runningTasksCount` or `agentConnected`")));
                        }
                        Ok(PlacementConstraint::MemberOf(e))
                    }
                    ("memberOf", None) => Err(self.err(c.span(), format!("`{key}`: `memberOf` needs an `expression` in the cluster query language"))),
                    (other, _) => Err(self.err(c.span(), format!("`{key}`: unknown constraint type `{other}`; expected `distinctInstance` or `memberOf`"))),
                }
            })
            .collect()
    }
}
