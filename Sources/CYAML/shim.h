#ifndef PROMPTGATE_CYAML_SHIM_H
#define PROMPTGATE_CYAML_SHIM_H
// libyaml as a system library: Debian's libyaml-dev (or Homebrew's libyaml), found through
// pkg-config. Only its event parser is used, by PromptgateCore's YAMLReader.
#include <yaml.h>
#endif
