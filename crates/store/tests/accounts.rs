//! Accounts and their roles, on SQLite and PostgreSQL alike.

use malkedja_domain::{AccountError, NewNode, NodeId, OrgKind, Role, RoleGrant};
use malkedja_store::{Store, StoreError, both_backends, password};

async fn two_nodes(store: &Store) -> (NodeId, NodeId) {
    let mut w = store.begin_write("test").await.unwrap();
    let city = w
        .create_node(NewNode {
            parent_id: None,
            kind: OrgKind::City,
            name: "Staden".into(),
            position: 0,
        })
        .await
        .unwrap()
        .id;
    let board = w
        .create_node(NewNode {
            parent_id: Some(city),
            kind: OrgKind::Board,
            name: "Nämnden".into(),
            position: 0,
        })
        .await
        .unwrap()
        .id;
    w.commit().await.unwrap();
    (city, board)
}

/// Every audit event of the account, as JSON text.
async fn trail(store: &Store, id: malkedja_domain::AccountId) -> (Vec<String>, String) {
    let events = store.audit_trail("account", &id.to_string()).await.unwrap();
    let actions = events.iter().map(|e| e.action.clone()).collect();
    let text = serde_json::to_string(
        &events
            .iter()
            .map(|e| (&e.before, &e.after))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    (actions, text)
}

both_backends!(
    an_account_is_added_normalised_and_unique_whatever_the_letters,
    |store: Store| async move {
        let hash = password::hash("vind-och-våg-7").await.unwrap();
        let mut w = store.begin_write("anna").await.unwrap();
        let a = w
            .add_account("  Anna.Admin@Exempel.SE ", " Anna Admin ", &hash)
            .await
            .unwrap();
        assert_eq!(a.email, "anna.admin@exempel.se");
        assert_eq!(a.display_name, "Anna Admin");
        assert!(!a.disabled);
        assert_eq!(a.last_sign_in_at, None);
        assert_eq!(a.version, 1);
        assert!(a.grants.is_empty());
        w.commit().await.unwrap();

        let mut w = store.begin_write("anna").await.unwrap();
        let err = w
            .add_account("ANNA.ADMIN@exempel.se", "Någon annan", &hash)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Account(AccountError::EmailTaken(e)) if e == "anna.admin@exempel.se"),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "det finns redan ett konto med e-postadressen anna.admin@exempel.se"
        );
        let err = w
            .add_account("inte-en-adress", "X", &hash)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Account(AccountError::MalformedEmail(_))),
            "{err:?}"
        );
        drop(w);

        let found = store
            .account_by_email("Anna.ADMIN@exempel.se")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found, a);
        assert!(
            store
                .account_by_email("okänd@exempel.se")
                .await
                .unwrap()
                .is_none()
        );
        assert!(store.account_by_email("skräp").await.unwrap().is_none());
        assert_eq!(store.accounts().await.unwrap(), vec![a.clone()]);
        let stored = store.password_hash_of(a.id).await.unwrap().unwrap();
        assert!(password::verify("vind-och-våg-7", &stored).await.unwrap());
        assert!(!password::verify("vind-och-våg-8", &stored).await.unwrap());
    }
);

both_backends!(
    a_person_holds_several_roles_on_different_nodes,
    |store: Store| async move {
        let (city, board) = two_nodes(&store).await;
        let hash = password::hash("vind-och-våg-7").await.unwrap();
        let mut w = store.begin_write("anna").await.unwrap();
        let a = w.add_account("bo@exempel.se", "Bo", &hash).await.unwrap();
        let admin = RoleGrant {
            role: Role::Admin,
            node_id: board,
        };
        let reader = RoleGrant {
            role: Role::Reader,
            node_id: city,
        };
        assert!(w.grant_role(a.id, admin).await.unwrap());
        assert!(w.grant_role(a.id, reader).await.unwrap());
        assert!(!w.grant_role(a.id, admin).await.unwrap(), "held already");
        let err = w
            .grant_role(
                a.id,
                RoleGrant {
                    role: Role::Reader,
                    node_id: NodeId(999_999),
                },
            )
            .await
            .unwrap_err();
        assert!(err.is_not_found(), "{err:?}");
        w.commit().await.unwrap();
        let got = store
            .account_by_email("bo@exempel.se")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(got.grants, vec![admin, reader]);

        let mut w = store.begin_write("anna").await.unwrap();
        w.revoke_role(a.id, admin).await.unwrap();
        let err = w.revoke_role(a.id, admin).await.unwrap_err();
        assert!(err.is_not_found(), "{err:?}");
        drop(w);
        // The failed second revoke rolled the writer back: the first stands only if committed.
        let mut w = store.begin_write("anna").await.unwrap();
        w.revoke_role(a.id, admin).await.unwrap();
        w.commit().await.unwrap();
        let all = store.accounts().await.unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].grants, vec![reader]);

        let (actions, _) = trail(&store, a.id).await;
        assert_eq!(actions, ["create", "grant", "grant", "revoke"]);
    }
);

both_backends!(
    disabling_and_a_new_password_are_versioned_and_audited_without_hashes,
    |store: Store| async move {
        let first = password::hash("vind-och-våg-7").await.unwrap();
        let mut w = store.begin_write("anna").await.unwrap();
        let a = w
            .add_account("cecilia@exempel.se", "Cecilia", &first)
            .await
            .unwrap();
        w.commit().await.unwrap();

        let second = password::hash("storm-och-sol-8").await.unwrap();
        let mut w = store.begin_write("anna").await.unwrap();
        let after = w.set_password_hash(a.id, &second, a.version).await.unwrap();
        assert_eq!(after.version, 2);
        w.commit().await.unwrap();
        let stored = store.password_hash_of(a.id).await.unwrap().unwrap();
        assert!(password::verify("storm-och-sol-8", &stored).await.unwrap());
        assert!(!password::verify("vind-och-våg-7", &stored).await.unwrap());

        // A change made from a stale version is a conflict and changes nothing.
        let mut w = store.begin_write("anna").await.unwrap();
        let err = w.disable_account(a.id, 1).await.unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::Conflict {
                    expected: 1,
                    actual: 2,
                    ..
                }
            ),
            "{err:?}"
        );
        drop(w);
        let mut w = store.begin_write("anna").await.unwrap();
        let disabled = w.disable_account(a.id, 2).await.unwrap();
        assert!(disabled.disabled);
        assert_eq!(disabled.version, 3);
        let again = w.disable_account(a.id, 3).await.unwrap();
        assert_eq!(again.version, 3, "disabling twice changes nothing");
        w.commit().await.unwrap();
        assert!(
            store
                .account_by_email("cecilia@exempel.se")
                .await
                .unwrap()
                .unwrap()
                .disabled
        );

        let (actions, text) = trail(&store, a.id).await;
        assert_eq!(actions, ["create", "set_password", "disable"]);
        assert!(!text.contains("argon2"), "{text}");
        assert!(!text.contains("password_hash"), "{text}");
        assert!(text.contains("cecilia@exempel.se"), "{text}");
    }
);
