//! PostgreSQL only: what several replicas on one database, and the database itself going
//! away, must not break.
