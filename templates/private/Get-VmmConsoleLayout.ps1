function Get-VmmConsoleLayout {
    <#
    .SYNOPSIS
        Where the VMM console keeps its add-ins: the console setup key, the value that names its installation
        folder, and the add-ins folder under it.
    .DESCRIPTION
        The documented VMM 2016 layout. Mirrors vmmConsole in src/model/vmm-states.ts (Pester checks that both
        say the same); if a VMM release installs the console elsewhere, correct it there and here together.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param()

    @{
        SetupKey         = 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Microsoft System Center Virtual Machine Manager Administrator Console\Setup'
        InstallPathValue = 'InstallPath'
        AddInsFolder     = @('bin', 'AddInPipeline', 'AddIns')
    }
}
