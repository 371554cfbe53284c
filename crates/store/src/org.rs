//! Correcting the organisation tree: renaming a node, moving it under another parent,
//! closing (*avveckla*) and reopening it. Each is a versioned write of `org_node` (a stale
//! change is a conflict) and audited.

use crate::versioned::VersionedRow;
use crate::{StoreError, Writer, now_text, rows};
use malkedja_domain::{
    Inherited, InheritedItem, NodeId, OrgNode, check_move, check_node_name, closing, reopening,
};
use sqlx::{AnyConnection, Row};
use time::Date;

type R<T> = Result<T, StoreError>;

/// The node's row, for a versioned change.
fn node_row(node: &OrgNode) -> VersionedRow {
    VersionedRow::new(
        "org_node",
        format!("{} «{}»", node.kind.definite_label(), node.name),
    )
    .key("id", node.id.0)
    .set("updated_at", now_text())
}

/// What the node and the nodes below it take from nodes outside that subtree: the goals
/// their goals, indicators and activities hang on, and the goals, indicators and
/// activities they select or set targets for. One query, whatever the depth.
async fn inherited_by_subtree(c: &mut AnyConnection, id: NodeId) -> R<Vec<Inherited>> {
    const SQL: &str = "WITH RECURSIVE sub(id) AS ( \
            SELECT id FROM org_node WHERE id = $1 \
            UNION ALL SELECT n.id FROM org_node n JOIN sub ON n.parent_id = sub.id) \
        SELECT 'goal' AS item, p.id, p.title AS name, p.owner_id FROM goal g JOIN goal p ON p.id = g.parent_id \
            WHERE g.owner_id IN (SELECT id FROM sub) AND p.owner_id NOT IN (SELECT id FROM sub) \
        UNION ALL SELECT 'goal', g.id, g.title, g.owner_id FROM indicator i JOIN goal g ON g.id = i.goal_id \
            WHERE i.owner_id IN (SELECT id FROM sub) AND g.owner_id NOT IN (SELECT id FROM sub) \
        UNION ALL SELECT 'goal', g.id, g.title, g.owner_id FROM activity a JOIN goal g ON g.id = a.goal_id \
            WHERE a.owner_id IN (SELECT id FROM sub) AND g.owner_id NOT IN (SELECT id FROM sub) \
        UNION ALL SELECT 'goal', g.id, g.title, g.owner_id FROM plan_goal c JOIN plan d ON d.id = c.plan_id JOIN goal g ON g.id = c.goal_id \
            WHERE d.unit_id IN (SELECT id FROM sub) AND g.owner_id NOT IN (SELECT id FROM sub) \
        UNION ALL SELECT 'indicator', i.id, i.name, i.owner_id FROM plan_indicator c JOIN plan d ON d.id = c.plan_id JOIN indicator i ON i.id = c.indicator_id \
            WHERE d.unit_id IN (SELECT id FROM sub) AND i.owner_id NOT IN (SELECT id FROM sub) \
        UNION ALL SELECT 'activity', a.id, a.title, a.owner_id FROM plan_activity c JOIN plan d ON d.id = c.plan_id JOIN activity a ON a.id = c.activity_id \
            WHERE d.unit_id IN (SELECT id FROM sub) AND a.owner_id NOT IN (SELECT id FROM sub) \
        UNION ALL SELECT 'goal', g.id, g.title, g.owner_id FROM report_goal c JOIN report r ON r.id = c.report_id JOIN plan d ON d.id = r.plan_id JOIN goal g ON g.id = c.goal_id \
            WHERE d.unit_id IN (SELECT id FROM sub) AND g.owner_id NOT IN (SELECT id FROM sub) \
        UNION ALL SELECT 'indicator', i.id, i.name, i.owner_id FROM report_indicator c JOIN report r ON r.id = c.report_id JOIN plan d ON d.id = r.plan_id JOIN indicator i ON i.id = c.indicator_id \
            WHERE d.unit_id IN (SELECT id FROM sub) AND i.owner_id NOT IN (SELECT id FROM sub) \
        UNION ALL SELECT 'activity', a.id, a.title, a.owner_id FROM report_activity c JOIN report r ON r.id = c.report_id JOIN plan d ON d.id = r.plan_id JOIN activity a ON a.id = c.activity_id \
            WHERE d.unit_id IN (SELECT id FROM sub) AND a.owner_id NOT IN (SELECT id FROM sub) \
        UNION ALL SELECT 'indicator', i.id, i.name, i.owner_id FROM indicator_target t JOIN indicator i ON i.id = t.indicator_id \
            WHERE t.node_id IN (SELECT id FROM sub) AND i.owner_id NOT IN (SELECT id FROM sub)";
    sqlx::query(SQL)
        .bind(id.0)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| {
            let item: String = r.try_get(0)?;
            Ok(Inherited {
                item: match item.as_str() {
                    "goal" => InheritedItem::Goal,
                    "indicator" => InheritedItem::Indicator,
                    _ => InheritedItem::Activity,
                },
                id: r.try_get(1)?,
                name: r.try_get(2)?,
                owner: NodeId(r.try_get(3)?),
            })
        })
        .collect()
}

/// A change to what the node already is: nothing is written (or audited), but a stale
/// version is still a conflict.
fn unchanged(node: OrgNode, expected_version: i64) -> R<OrgNode> {
    if node.version == expected_version {
        Ok(node)
    } else {
        Err(node_row(&node).conflict(expected_version, node.version))
    }
}

impl Writer {
    /// Renames a node. `expected_version` is the node's version the change was made from:
    /// if someone changed the node since, nothing is written and [`StoreError::Conflict`]
    /// says so.
    pub async fn rename_node(
        &mut self,
        id: NodeId,
        name: &str,
        expected_version: i64,
    ) -> R<OrgNode> {
        let before = self.require_node(id).await?;
        let name = check_node_name(name)?;
        if name == before.name {
            return unchanged(before, expected_version);
        }
        let row = node_row(&before).set("name", name);
        self.write_versioned(row, expected_version, before.version)
            .await?;
        let after = self.require_node(id).await?;
        self.audit("rename", "org_node", id, Some(&before), Some(&after))
            .await?;
        Ok(after)
    }

    /// Moves a node, with everything below it, under `new_parent`, keeping its place among
    /// its new siblings. The move must keep the tree's rules ([`check_move`]): kinds nest,
    /// a node never goes under itself or below itself, and what the node's subtree
    /// inherits (goals it hangs its own on, selections, targets) still comes from above
    /// it. Versioned like [`Writer::rename_node`].
    pub async fn move_node(
        &mut self,
        id: NodeId,
        new_parent: NodeId,
        expected_version: i64,
    ) -> R<OrgNode> {
        let before = self.require_node(id).await?;
        if before.parent_id == Some(new_parent) {
            return unchanged(before, expected_version);
        }
        let parent_chain = self.chain(new_parent).await?;
        if parent_chain.is_empty() {
            return Err(StoreError::NotFound(format!(
                "organisationsnod {new_parent}"
            )));
        }
        let current_chain = self.chain(id).await?;
        let inherited = inherited_by_subtree(&mut self.tx, id).await?;
        // Kinds nest strictly downwards, so even two moves racing each other cannot close
        // a cycle; the explicit check makes the rule independent of that.
        check_move(&before, &current_chain, &parent_chain, &inherited)?;
        let row = node_row(&before).set("parent_id", new_parent.0);
        self.write_versioned(row, expected_version, before.version)
            .await?;
        let after = self.require_node(id).await?;
        self.audit("move", "org_node", id, Some(&before), Some(&after))
            .await?;
        Ok(after)
    }

    /// Closes (*avvecklar*) a node on the day `on`, with every node below it that is still
    /// open ([`closing`]): they keep their history and documents, take no new plans, and
    /// pages mark them "Avvecklad". `expected_version` is the node's version the change was
    /// made from; the nodes below are changed from the versions this writer reads. Returns
    /// the nodes closed, the node first.
    pub async fn close_node(
        &mut self,
        id: NodeId,
        on: Date,
        expected_version: i64,
    ) -> R<Vec<OrgNode>> {
        let node = self.require_node(id).await?;
        let nodes = self.nodes().await?;
        let ids = match closing(&node, &nodes) {
            Ok(ids) => ids,
            // Closed already, on that very day: what was asked is so.
            Err(_) if node.closed == Some(on) => {
                return unchanged(node, expected_version).map(|n| vec![n]);
            }
            Err(e) => return Err(e.into()),
        };
        let closed_on = Some(rows::date_text(on));
        self.set_closed(&ids, &nodes, expected_version, closed_on, "close")
            .await
    }

    /// Reopens a closed node, with the nodes below it that were closed on the same day
    /// ([`reopening`]); its parent must be open. Versioned like [`Writer::close_node`].
    pub async fn reopen_node(&mut self, id: NodeId, expected_version: i64) -> R<Vec<OrgNode>> {
        let chain = self.chain(id).await?;
        if chain.is_empty() {
            return Err(StoreError::NotFound(format!("organisationsnod {id}")));
        }
        let nodes = self.nodes().await?;
        let ids = reopening(&chain, &nodes)?;
        self.set_closed(&ids, &nodes, expected_version, None, "reopen")
            .await
    }

    /// Sets `closed_on` of the nodes `ids` (the node asked for first, at
    /// `expected_version`; the others at the version read in `nodes`), auditing each.
    async fn set_closed(
        &mut self,
        ids: &[NodeId],
        nodes: &[OrgNode],
        expected_version: i64,
        closed_on: Option<String>,
        action: &str,
    ) -> R<Vec<OrgNode>> {
        let mut out = Vec::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            let before = nodes
                .iter()
                .find(|n| n.id == *id)
                .ok_or_else(|| StoreError::NotFound(format!("organisationsnod {id}")))?;
            let expected = if i == 0 {
                expected_version
            } else {
                before.version
            };
            let row = node_row(before).set("closed_on", closed_on.clone());
            self.write_versioned(row, expected, before.version).await?;
            let after = self.require_node(*id).await?;
            self.audit(action, "org_node", id, Some(before), Some(&after))
                .await?;
            out.push(after);
        }
        Ok(out)
    }
}
