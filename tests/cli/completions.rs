//! `synap-hook completions`.

use crate::util::synap;

#[test]
fn every_shell_gets_a_script_naming_the_subcommands() {
    for shell in ["bash", "zsh", "fish"] {
        let run = synap(&["completions", shell]).run();
        run.code(0).stdout_has("validate").stdout_has("sample");
    }
    synap(&["completions", "tcsh"]).run().code(2);
}

#[test]
fn help_teaches_with_examples() {
    synap(&["--help"])
        .run()
        .code(0)
        .stdout_has("Examples:")
        .stdout_has("Exit status");
    synap(&["validate", "--help"])
        .run()
        .code(0)
        .stdout_has("--expect")
        .stdout_has("synap-hook validate captures/ --format github");
}
