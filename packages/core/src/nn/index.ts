export { Module, Parameter, isParameter, type StateDict } from './module.js';
