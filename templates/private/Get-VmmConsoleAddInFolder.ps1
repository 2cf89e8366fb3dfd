function Get-VmmConsoleAddInFolder {
    <#
    .SYNOPSIS
        The add-in folders of the VMM console installed on this computer.
    .DESCRIPTION
        Reads the console installation folder from the registry (Get-VmmConsoleLayout names the key and value;
        read through Read-VmmRegistryTree) and returns one [System.IO.DirectoryInfo] per folder directly under
        its add-ins folder (bin\AddInPipeline\AddIns in the documented VMM 2016 layout), sorted by name.
        Returns nothing when the console is installed but that folder does not exist (no add-in was ever
        imported). Throws a clear error when the console is not installed (no setup key or no InstallPath), when
        the installation folder it names does not exist, or when the registry cannot be read.
    #>
    [CmdletBinding()]
    [OutputType([System.IO.DirectoryInfo])]
    param()

    $layout = Get-VmmConsoleLayout
    $keys = @(Read-VmmRegistryTree -Path $layout.SetupKey -NoRecurse -ErrorAction Stop)
    $installPath = $null
    if ($keys.Count -gt 0) {
        foreach ($value in @($keys[0].Values)) {
            if ($value.Name -eq $layout.InstallPathValue -and [string]$value.Data) { $installPath = [string]$value.Data }
        }
    }
    if (-not $installPath) {
        throw "The VMM console is not installed on this computer: the registry value '$($layout.InstallPathValue)' of '$($layout.SetupKey)' is missing. Run Get-VmmLocalInventory on a computer with the VMM console (if the console is installed, the VMM release may use another key: correct vmmConsole in src/model/vmm-states.ts)."
    }
    $installPath = [System.Environment]::ExpandEnvironmentVariables($installPath)
    if (-not [System.IO.Directory]::Exists($installPath)) {
        throw "The VMM console installation folder '$installPath' (from '$($layout.SetupKey)') does not exist. Repair or reinstall the VMM console."
    }
    $addInsPath = $installPath
    foreach ($part in $layout.AddInsFolder) { $addInsPath = [System.IO.Path]::Combine($addInsPath, $part) }
    if (-not [System.IO.Directory]::Exists($addInsPath)) {
        Write-Verbose "The VMM console add-ins folder '$addInsPath' does not exist: no add-in is installed."
        return
    }
    $folders = @((New-Object -TypeName System.IO.DirectoryInfo -ArgumentList $addInsPath).GetDirectories())
    $folders | Sort-Object -Property Name
}
