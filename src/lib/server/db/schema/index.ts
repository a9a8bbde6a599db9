// The database schema, one file per feature: learner state only. Course content lives in files
// (courses/). drizzle-kit reads this folder to write migrations (see drizzle.config.ts).
export * from './auth';
export * from './learning';
export * from './quiz';
export * from './events';
export * from './certificates';
export * from './teams';
export * from './notifications';
export * from './coaching';
export * from './site';
export * from './review';
export * from './authoring';
