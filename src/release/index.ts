/** Release packaging of the signed module: see README.md beside this file. */
export * from './zip';
export * from './manifest';
export * from './nupkg';
export * from './pack';
