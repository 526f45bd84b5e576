/** One vocabulary for "where is this job", whatever words the service used. */
export type JobState = 'running' | 'done' | 'failed';
