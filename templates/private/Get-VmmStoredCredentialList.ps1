function Get-VmmStoredCredentialList {
    <#
    .SYNOPSIS
        Runs `cmdkey.exe /list` and returns its output lines: the one place the module asks Windows Credential
        Manager what it holds.
    .DESCRIPTION
        cmdkey lists the credentials of the user who runs it (target, type, user name; it never shows a
        password). The arguments are passed as an array, nothing is built from user input. The lines are
        returned as cmdkey wrote them, in the language of Windows; ConvertFrom-VmmCmdkeyList reads them.
        Throws a clear error when not on Windows, when cmdkey.exe cannot be found, or when it fails.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()

    if ([System.Environment]::OSVersion.Platform -ne [System.PlatformID]::Win32NT) {
        throw 'Cannot list the credentials of Windows Credential Manager: cmdkey.exe exists only on Windows. Run Get-VmmLocalInventory on the VMM management server.'
    }
    $command = Get-Command -Name 'cmdkey.exe' -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -eq $command) {
        throw 'Cannot list the credentials of Windows Credential Manager: cmdkey.exe was not found. It is part of Windows (in %SystemRoot%\System32); check that this folder is on PATH.'
    }
    $arguments = @('/list')
    # Under -ErrorAction Stop, Windows PowerShell 5.1 turns a native command's redirected standard error into a
    # terminating error; the exit code decides here instead.
    $savedPreference = $ErrorActionPreference
    $ErrorActionPreference = 'Continue'
    try {
        $output = @(& $command.Path @arguments 2>&1)
        $exitCode = $LASTEXITCODE
    } finally {
        $ErrorActionPreference = $savedPreference
    }
    $lines = @($output | ForEach-Object { [string]$_ })
    if ($exitCode -ne 0) {
        throw "cmdkey.exe /list failed with exit code ${exitCode}: $(($lines | Where-Object { $_.Trim() }) -join ' ')"
    }
    $lines
}
