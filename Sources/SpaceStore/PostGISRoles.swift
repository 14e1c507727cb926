import Foundation
import SpaceGeometry

/// Operators as roles of the database itself (PostGIS only), so that the database refuses what
/// the server refuses: row-level security lets an operator's role change only its own carriers'
/// figures and tenants, whether the server acts for it (`SET LOCAL ROLE` in the edit's
/// transaction) or the operator connects directly (QGIS on the PostGIS layers, psql).
///
/// Per district schema: a group role `<schema>_operators` that reads every layer and may update
/// the carriers' capacity, vacancy, rent and status and insert, move and delete firms, each only
/// where `operator_carriers()` (the carriers `platform_users` gives the connected role) allows;
/// one login role per operator in that group. The trigger functions that keep the history run
/// as the store's owner, so an operator writes history only through its edits.
enum PostGISRoles {
    /// The layers an operator's role may change (and so lock).
    static let operatorLayers: Set<String> = [StoreLayer.carriers.name, StoreLayer.enterprises.name]

    /// The group role of a district's operators.
    static func group(_ schema: String) -> String { "\(schema)_operators" }

    /// The login role of an operator: the schema and the name, made safe for an identifier
    /// (with a short hash when the name had to change, so two names never share a role).
    static func role(schema: String, name: String) -> String {
        let slug = String(name.lowercased().unicodeScalars.map { ("a"..."z").contains($0) || ("0"..."9").contains($0) ? Character($0) : "_" })
        let hash = slug == name ? "" : "_" + String(fnv1a(name), radix: 16)
        return String("\(schema)_op_\(slug)".prefix(63 - hash.count)) + hash
    }

    /// Grants and policies of the group, made again each time (they follow the tables).
    /// `operator_carriers()` runs as the owner (it reads platform_users, which operators may not),
    /// so it finds the operator by the role the server set (`SET ROLE`) or else by the login.
    static func policies(schema: String) -> String {
        let g = PostgresConnection.identifier(group(schema))
        let s = PostgresConnection.identifier(schema)
        return """
            DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = \(literal(group(schema)))) THEN CREATE ROLE \(g) NOLOGIN; END IF;
            END $$;
            GRANT USAGE ON SCHEMA \(s) TO \(g);
            GRANT SELECT ON ALL TABLES IN SCHEMA \(s) TO \(g);
            REVOKE ALL ON platform_users, platform_sessions, platform_applications, platform_rounds, platform_placements, platform_log FROM \(g);
            GRANT UPDATE (floor_area_m2, occupied_m2, vacant_m2, rent_yuan_m2_month, status) ON carriers TO \(g);
            GRANT INSERT, DELETE, UPDATE (carrier_id, building_id, geom) ON enterprises TO \(g);
            GRANT INSERT ON store_edit_sets TO \(g);
            GRANT USAGE ON ALL SEQUENCES IN SCHEMA \(s) TO \(g);
            ALTER FUNCTION store_before() SECURITY DEFINER;
            ALTER FUNCTION store_after() SECURITY DEFINER;
            ALTER FUNCTION store_carrier_vacancy() SECURITY DEFINER;
            CREATE OR REPLACE FUNCTION operator_carriers() RETURNS text[] LANGUAGE sql STABLE SECURITY DEFINER SET search_path = \(s) AS $f$
              SELECT coalesce((SELECT string_to_array(carriers, ',') FROM platform_users
                WHERE database_role = coalesce(nullif(current_setting('role'), 'none'), session_user) AND disabled = 0), '{}')
            $f$;
            ALTER TABLE carriers ENABLE ROW LEVEL SECURITY;
            ALTER TABLE enterprises ENABLE ROW LEVEL SECURITY;
            DROP POLICY IF EXISTS operators_read ON carriers;
            DROP POLICY IF EXISTS operators_update ON carriers;
            CREATE POLICY operators_read ON carriers FOR SELECT TO \(g) USING (true);
            CREATE POLICY operators_update ON carriers FOR UPDATE TO \(g) USING (true) WITH CHECK (id = ANY (operator_carriers()));
            DROP POLICY IF EXISTS operators_read ON enterprises;
            DROP POLICY IF EXISTS operators_insert ON enterprises;
            DROP POLICY IF EXISTS operators_update ON enterprises;
            DROP POLICY IF EXISTS operators_delete ON enterprises;
            CREATE POLICY operators_read ON enterprises FOR SELECT TO \(g) USING (true);
            CREATE POLICY operators_insert ON enterprises FOR INSERT TO \(g) WITH CHECK (carrier_id = ANY (operator_carriers()));
            CREATE POLICY operators_update ON enterprises FOR UPDATE TO \(g)
              USING (carrier_id = ANY (operator_carriers())) WITH CHECK (carrier_id = ANY (operator_carriers()));
            CREATE POLICY operators_delete ON enterprises FOR DELETE TO \(g) USING (carrier_id = ANY (operator_carriers()));
            """
    }

    /// FNV-1a (32 bits) of the name's UTF-8: short, stable, and enough to keep two names apart.
    static func fnv1a(_ text: String) -> UInt32 {
        text.utf8.reduce(2_166_136_261 as UInt32) { ($0 ^ UInt32($1)) &* 16_777_619 }
    }

    /// Roles and their memberships are the whole cluster's: two districts making roles at once
    /// would lock them in different orders and deadlock, so role changes take turns (until commit).
    static func lockRoles(_ db: PostgresConnection) throws {
        try db.execute("SELECT pg_advisory_xact_lock(hashtext('spaceplan.roles'))")
    }

    static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}

extension PostgresPlatform {
    func makeOperatorRole(for name: String, password: String) throws -> String? {
        try PostGISRoles.lockRoles(db)
        let schema = try db.rows("SELECT current_schema()")[0][0] ?? ""
        let role = PostGISRoles.role(schema: schema, name: name)
        let r = PostgresConnection.identifier(role)
        let verifier = try db.encryptedPassword(password, role: role)
        try db.execute(PostGISRoles.policies(schema: schema))
        try db.execute(
            """
            DO $$ BEGIN
              IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = \(PostGISRoles.literal(role))) THEN
                ALTER ROLE \(r) LOGIN PASSWORD \(PostGISRoles.literal(verifier));
              ELSE
                CREATE ROLE \(r) LOGIN PASSWORD \(PostGISRoles.literal(verifier));
              END IF;
            END $$;
            GRANT \(PostgresConnection.identifier(PostGISRoles.group(schema))) TO \(r);
            GRANT \(r) TO CURRENT_USER;
            """)
        return role
    }

    func disableRole(_ role: String) throws {
        try PostGISRoles.lockRoles(db)
        try db.execute("ALTER ROLE \(PostgresConnection.identifier(role)) NOLOGIN")
    }
}
