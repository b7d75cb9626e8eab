-- Runs once, on the first start with an empty volume, as the sds role the services connect as:
-- a database per service, because a service never reads another service's tables.
CREATE DATABASE sds_intake;
CREATE DATABASE sds_zaken;
CREATE DATABASE sds_klantgegevens;
CREATE DATABASE sds_financien;
CREATE DATABASE sds_beleidsinfo;
CREATE DATABASE sds_notificaties;
CREATE DATABASE sds_documenten;
