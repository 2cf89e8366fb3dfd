<#
    The seams that start native programs (Invoke-VmmWbadmin, Invoke-VmmScvmmRecover): arguments passed one by one,
    standard output and standard error both returned as lines, the exit code returned - also when the caller's
    $ErrorActionPreference is 'Stop' (where Windows PowerShell 5.1 would otherwise stop at the first standard error
    line; the static check NativeStderrRedirect of Pester/Support/Compatibility.psm1 keeps that guarded). A small
    shell script stands in for the program.
#>

BeforeAll {
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    Import-Module (Join-Path $repoRoot 'generated/VmmBackup/VmmBackup.psd1') -Force

    # A program that echoes its arguments one per line on standard output, writes one line to standard error and
    # exits with the code given in TOOL_EXIT.
    $bin = Join-Path $TestDrive 'bin'
    $null = New-Item -ItemType Directory -Path $bin
    $script:fakeTool = {
        param([string] $Name)
        $file = Join-Path $bin $Name
        [System.IO.File]::WriteAllText($file, "#!/bin/sh`nfor a in `"`$@`"; do printf 'arg:%s\n' `"`$a`"; done`necho 'ERROR - something on stderr' >&2`nexit `${TOOL_EXIT:-0}`n")
        & chmod +x $file
        $file
    }
    $script:savedPath = $env:PATH
    $env:PATH = $bin + [System.IO.Path]::PathSeparator + $env:PATH
}

AfterAll {
    $env:PATH = $script:savedPath
    Remove-Item Env:\TOOL_EXIT -ErrorAction SilentlyContinue
    Remove-Module VmmBackup -Force -ErrorAction SilentlyContinue
}

Describe 'Invoke-VmmWbadmin' {
    BeforeAll {
        $null = & $fakeTool 'wbadmin.exe'
    }

    It 'returns every output line, standard error included, and the exit code, under ErrorActionPreference Stop' {
        $env:TOOL_EXIT = '4'
        $result = InModuleScope VmmBackup {
            $ErrorActionPreference = 'Stop'
            Invoke-VmmWbadmin -ArgumentList @('get', 'versions', '-backupTarget:\\backup01\system state') -ErrorAction Stop
        }
        $result.ExitCode | Should -Be 4
        $result.Output | Should -Contain 'arg:get'
        $result.Output | Should -Contain 'arg:-backupTarget:\\backup01\system state'
        $result.Output | Should -Contain 'ERROR - something on stderr'
    }

    It 'returns exit code 0 on success and leaves the caller''s preference as it was' {
        $env:TOOL_EXIT = '0'
        $after = InModuleScope VmmBackup {
            $ErrorActionPreference = 'Stop'
            $run = Invoke-VmmWbadmin -ArgumentList @('start', 'systemstatebackup')
            [pscustomobject]@{ Run = $run; Preference = $ErrorActionPreference }
        }
        $after.Run.ExitCode | Should -Be 0
        @($after.Run.Output | Where-Object { $_ -like 'arg:*' }) | Should -Be @('arg:start', 'arg:systemstatebackup')
        $after.Preference | Should -Be 'Stop'
    }
}

Describe 'Invoke-VmmScvmmRecover' {
    It 'returns every output line, standard error included, and the exit code, under ErrorActionPreference Stop' {
        $tool = & $fakeTool 'SCVMMRecover.exe'
        $env:TOOL_EXIT = '3'
        $result = InModuleScope VmmBackup -Parameters @{ Tool = $tool } {
            param($Tool)
            $ErrorActionPreference = 'Stop'
            Invoke-VmmScvmmRecover -FilePath $Tool -ArgumentList @('-Path', "D:\Vmm Backup\it's [1];.bak", '-Confirm') -ErrorAction Stop
        }
        $result.ExitCode | Should -Be 3
        @($result.Output | Where-Object { $_ -like 'arg:*' }) | Should -Be @('arg:-Path', "arg:D:\Vmm Backup\it's [1];.bak", 'arg:-Confirm')
        $result.Output | Should -Contain 'ERROR - something on stderr'
    }
}
