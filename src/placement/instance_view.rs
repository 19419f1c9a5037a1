//! One container instance seen through the cluster query language.

use crate::ids::InstanceId;
use crate::model::Cluster;
use crate::placement::query::InstanceView;

/// Adapts instance `id` of a [`Cluster`] to the query language's [`InstanceView`].
#[derive(Debug, Clone, Copy)]
pub struct ClusterInstance<'a> {
    /// The cluster.
    pub cluster: &'a Cluster,
    /// The instance.
    pub id: InstanceId,
    /// Task group names by [`crate::ids::GroupId`].
    pub group_names: &'a [String],
}

impl InstanceView for ClusterInstance<'_> {
    fn attribute(&self, name: &str) -> Option<&str> {
        let k = self.id.index();
        let c = self.cluster;
        match name {
            "ecs.instance-type" => Some(c.types()[usize::from(c.type_of()[k])].name.as_str()),
            "ecs.availability-zone" => Some(c.zones()[usize::from(c.zone_of()[k].0)].as_str()),
            "ecs.cpu-architecture" => {
                Some(c.types()[usize::from(c.type_of()[k])].architecture.as_str())
            }
            "ecs.os-type" => Some("linux"),
            "ecs.os-family" => Some("LINUX"),
            "ecs.awsvpc-trunk-id" if c.types()[usize::from(c.type_of()[k])].trunk => {
                Some(c.instance_name(self.id))
            }
            _ => None,
        }
    }

    fn ec2_instance_id(&self) -> &str {
        self.cluster.instance_name(self.id)
    }

    fn running_tasks_count(&self) -> u32 {
        self.cluster.task_count()[self.id.index()]
    }

    fn any_task_group(&self, f: &mut dyn FnMut(&str) -> bool) -> bool {
        self.cluster
            .groups_on(self.id)
            .iter()
            .any(|(g, _)| self.group_names.get(g.0 as usize).is_some_and(|n| f(n)))
    }
}

/// An instance the group could launch, seen through the query language before it exists: of
/// type `type_name` in zone `zone`, with no task on it. Used to tell whether a new instance could
/// ever take a task (docs/reference/ecs-facts.md §5.3: tasks no instance can take are left out of
/// the scaling estimate).
#[derive(Debug, Clone, Copy)]
pub struct FreshInstance<'a> {
    /// `ecs.instance-type`.
    pub type_name: &'a str,
    /// `ecs.cpu-architecture`.
    pub architecture: &'a str,
    /// `ecs.availability-zone`.
    pub zone: &'a str,
    /// The name it would register under (`ec2InstanceId`).
    pub name: &'a str,
    /// It would have a trunk ENI (`ecs.awsvpc-trunk-id`).
    pub trunk: bool,
}

impl InstanceView for FreshInstance<'_> {
    fn attribute(&self, name: &str) -> Option<&str> {
        match name {
            "ecs.instance-type" => Some(self.type_name),
            "ecs.availability-zone" => Some(self.zone),
            "ecs.cpu-architecture" => Some(self.architecture),
            "ecs.os-type" => Some("linux"),
            "ecs.os-family" => Some("LINUX"),
            "ecs.awsvpc-trunk-id" if self.trunk => Some(self.name),
            _ => None,
        }
    }

    fn ec2_instance_id(&self) -> &str {
        self.name
    }

    fn running_tasks_count(&self) -> u32 {
        0
    }

    fn any_task_group(&self, _f: &mut dyn FnMut(&str) -> bool) -> bool {
        false
    }
}
