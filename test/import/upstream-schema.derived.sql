-- DERIVED FOR TESTS ONLY — not upstream's file. A minimal restatement of the tables of
-- PRO-Robotech/netguard-pg-backend after its migrations 001–018 (columns and keys the import reads;
-- no indexes, no triggers). test/import/upstream-db.ts applies upstream's
-- own migration files from a fetched copy of the repository when one is present and falls back to
-- this file otherwise.
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
CREATE DOMAIN resource_name AS TEXT CHECK (char_length(VALUE) > 0 AND char_length(VALUE) <= 253);
CREATE DOMAIN namespace_name AS TEXT CHECK (char_length(VALUE) > 0 AND char_length(VALUE) <= 253);
CREATE DOMAIN rule_action AS TEXT CHECK (VALUE IN ('ACCEPT', 'DROP'));
CREATE DOMAIN traffic_direction AS TEXT CHECK (VALUE IN ('INGRESS', 'EGRESS'));
CREATE DOMAIN transport_protocol AS TEXT CHECK (VALUE IN ('TCP', 'UDP', 'ICMP'));
CREATE TABLE k8s_metadata (
  resource_version BIGSERIAL PRIMARY KEY, labels JSONB DEFAULT '{}', annotations JSONB DEFAULT '{}',
  finalizers TEXT[] DEFAULT '{}', conditions JSONB DEFAULT '[]',
  created_at TIMESTAMPTZ DEFAULT NOW(), updated_at TIMESTAMPTZ DEFAULT NOW(),
  uid UUID DEFAULT uuid_generate_v4() UNIQUE NOT NULL, generation BIGINT DEFAULT 1 NOT NULL);
CREATE TABLE services (
  namespace namespace_name NOT NULL, name resource_name NOT NULL, description TEXT DEFAULT '',
  ingress_ports JSONB NOT NULL DEFAULT '[]', address_groups JSONB NOT NULL DEFAULT '[]',
  aggregated_address_groups JSONB NOT NULL DEFAULT '[]',
  resource_version BIGINT NOT NULL REFERENCES k8s_metadata ON DELETE CASCADE, PRIMARY KEY (namespace, name));
CREATE TABLE address_groups (
  namespace namespace_name NOT NULL, name resource_name NOT NULL, default_action rule_action NOT NULL DEFAULT 'DROP',
  logs BOOLEAN NOT NULL DEFAULT false, trace BOOLEAN NOT NULL DEFAULT false, description TEXT DEFAULT '',
  networks JSONB DEFAULT '[]', hosts JSONB DEFAULT '[]', aggregated_hosts JSONB DEFAULT '[]',
  resource_version BIGINT NOT NULL REFERENCES k8s_metadata ON DELETE CASCADE, PRIMARY KEY (namespace, name));
CREATE TABLE address_group_bindings (
  namespace namespace_name NOT NULL, name resource_name NOT NULL,
  service_namespace namespace_name NOT NULL, service_name resource_name NOT NULL,
  address_group_namespace namespace_name NOT NULL, address_group_name resource_name NOT NULL,
  resource_version BIGINT NOT NULL REFERENCES k8s_metadata ON DELETE CASCADE, PRIMARY KEY (namespace, name),
  FOREIGN KEY (service_namespace, service_name) REFERENCES services(namespace, name) ON DELETE RESTRICT,
  FOREIGN KEY (address_group_namespace, address_group_name) REFERENCES address_groups(namespace, name) ON DELETE CASCADE);
CREATE TABLE address_group_port_mappings (
  namespace namespace_name NOT NULL, name resource_name NOT NULL, access_ports JSONB NOT NULL DEFAULT '{}',
  resource_version BIGINT NOT NULL REFERENCES k8s_metadata ON DELETE CASCADE, PRIMARY KEY (namespace, name));
CREATE TABLE rule_s2s (
  namespace namespace_name NOT NULL, name resource_name NOT NULL, traffic traffic_direction NOT NULL,
  service_local_ref JSONB NOT NULL, service_ref JSONB NOT NULL, ieagag_rule_refs JSONB NOT NULL DEFAULT '[]',
  trace BOOLEAN DEFAULT FALSE,
  resource_version BIGINT NOT NULL REFERENCES k8s_metadata ON DELETE CASCADE, PRIMARY KEY (namespace, name));
CREATE TABLE service_aliases (
  namespace namespace_name NOT NULL, name resource_name NOT NULL,
  service_namespace namespace_name NOT NULL, service_name resource_name NOT NULL,
  resource_version BIGINT NOT NULL REFERENCES k8s_metadata ON DELETE CASCADE, PRIMARY KEY (namespace, name),
  FOREIGN KEY (service_namespace, service_name) REFERENCES services(namespace, name) ON DELETE RESTRICT);
CREATE TABLE address_group_binding_policies (
  namespace namespace_name NOT NULL, name resource_name NOT NULL,
  address_group_ref JSONB DEFAULT '{}', service_ref JSONB DEFAULT '{}',
  resource_version BIGINT NOT NULL REFERENCES k8s_metadata ON DELETE CASCADE, PRIMARY KEY (namespace, name));
CREATE TABLE ie_ag_ag_rules (
  namespace namespace_name NOT NULL, name resource_name NOT NULL, transport transport_protocol NOT NULL,
  traffic traffic_direction NOT NULL, action rule_action NOT NULL,
  address_group_local_namespace namespace_name NOT NULL, address_group_local_name resource_name NOT NULL,
  address_group_namespace namespace_name NOT NULL, address_group_name resource_name NOT NULL,
  ports JSONB DEFAULT '[]', trace BOOLEAN NOT NULL DEFAULT FALSE,
  resource_version BIGINT NOT NULL REFERENCES k8s_metadata ON DELETE CASCADE, PRIMARY KEY (namespace, name),
  FOREIGN KEY (address_group_local_namespace, address_group_local_name) REFERENCES address_groups(namespace, name) ON DELETE CASCADE,
  FOREIGN KEY (address_group_namespace, address_group_name) REFERENCES address_groups(namespace, name) ON DELETE CASCADE);
CREATE TABLE networks (
  namespace namespace_name NOT NULL, name resource_name NOT NULL, network_items JSONB NOT NULL DEFAULT '[]',
  is_bound BOOLEAN NOT NULL DEFAULT false, binding_ref_namespace namespace_name, binding_ref_name resource_name,
  address_group_ref_namespace namespace_name, address_group_ref_name resource_name, cidr CIDR NOT NULL UNIQUE,
  resource_version BIGINT NOT NULL REFERENCES k8s_metadata ON DELETE CASCADE, PRIMARY KEY (namespace, name));
CREATE TABLE network_bindings (
  namespace namespace_name NOT NULL, name resource_name NOT NULL,
  network_namespace namespace_name NOT NULL, network_name resource_name NOT NULL,
  address_group_namespace namespace_name NOT NULL, address_group_name resource_name NOT NULL,
  resource_version BIGINT NOT NULL REFERENCES k8s_metadata ON DELETE CASCADE, PRIMARY KEY (namespace, name),
  FOREIGN KEY (network_namespace, network_name) REFERENCES networks(namespace, name) ON DELETE CASCADE,
  FOREIGN KEY (address_group_namespace, address_group_name) REFERENCES address_groups(namespace, name) ON DELETE CASCADE);
CREATE TABLE hosts (
  namespace namespace_name NOT NULL, name resource_name NOT NULL, uuid TEXT NOT NULL UNIQUE,
  host_name_sync TEXT, address_group_name TEXT, is_bound BOOLEAN NOT NULL DEFAULT false,
  binding_ref_namespace namespace_name, binding_ref_name resource_name,
  address_group_ref_namespace namespace_name, address_group_ref_name resource_name, ip_list JSONB DEFAULT NULL,
  resource_version BIGINT NOT NULL REFERENCES k8s_metadata ON DELETE CASCADE, PRIMARY KEY (namespace, name));
CREATE TABLE host_bindings (
  namespace namespace_name NOT NULL, name resource_name NOT NULL,
  host_namespace namespace_name NOT NULL, host_name resource_name NOT NULL,
  address_group_namespace namespace_name NOT NULL, address_group_name resource_name NOT NULL,
  resource_version BIGINT NOT NULL REFERENCES k8s_metadata ON DELETE CASCADE, PRIMARY KEY (namespace, name),
  FOREIGN KEY (host_namespace, host_name) REFERENCES hosts(namespace, name) ON DELETE CASCADE,
  FOREIGN KEY (address_group_namespace, address_group_name) REFERENCES address_groups(namespace, name) ON DELETE CASCADE,
  UNIQUE (host_namespace, host_name));
