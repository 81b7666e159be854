/** extract stage placeholder: replaced by the extract implementation. */
export {};
